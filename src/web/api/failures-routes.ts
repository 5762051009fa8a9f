import type { FastifyInstance, FastifyRequest } from 'fastify';
import { retryCodeEverywhere } from '../actions/retry-code';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { DashboardError } from '../dashboard-error';
import { isOperator } from '../auth/roles';
import { codeFailuresModel, failureGroupsModel } from '../views/failures-model';

const codeOf = (req: FastifyRequest) => (req.params as { code: string }).code;

/** `/api/failures…`: failed deliveries across the person's schools by code; retry a code everywhere. */
export function registerFailureRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/failures', async (req) => ({ failures: await failureGroupsModel(deps.backend, principalOf(req)) }));

  app.get('/api/failures/:code', async (req) => codeFailuresModel(deps.backend, principalOf(req), codeOf(req)));

  app.post('/api/failures/:code/retry', async (req) => {
    const p = principalOf(req);
    if (!isOperator(p) && !p.roles.includes('school_admin')) throw new DashboardError(403, 'forbidden', 'Недостаточно прав: повтор доступен администратору ЭЖ школы или региональному оператору');
    return retryCodeEverywhere(deps.backend, p, actorOf(req), codeOf(req));
  });
}
