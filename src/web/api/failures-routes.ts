import type { FastifyInstance, FastifyRequest } from 'fastify';
import { retryCodeEverywhere } from '../actions/retry-code';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { DashboardError } from '../dashboard-error';
import { isOperator } from '../auth/roles';
import { codeFailuresModel, failureGroupsModel } from '../views/failures-model';
import { pageOf } from '../pages/pager';

const codeOf = (req: FastifyRequest) => (req.params as { code: string }).code;
const str = (v: unknown) => (typeof v === 'string' && v ? v : undefined);

/** `/api/failures…`: failed deliveries across the person's schools by code; retry a code everywhere. */
export function registerFailureRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/failures', async (req) => {
    const q = req.query as Record<string, unknown>;
    return { failures: await failureGroupsModel(deps.backend, principalOf(req), { q: str(q.q), school: str(q.school) }) };
  });

  app.get('/api/failures/:code', async (req) => {
    const q = req.query as Record<string, unknown>;
    return codeFailuresModel(deps.backend, principalOf(req), codeOf(req), { page: pageOf(q.page), school: str(q.school), q: str(q.q) });
  });

  app.post('/api/failures/:code/retry', async (req) => {
    const p = principalOf(req);
    if (!isOperator(p) && !p.roles.includes('school_admin')) throw new DashboardError(403, 'forbidden', 'Недостаточно прав: повтор доступен администратору ЭЖ школы или региональному оператору');
    return retryCodeEverywhere(deps.backend, p, actorOf(req), codeOf(req));
  });
}
