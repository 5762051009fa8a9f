import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findLink, refusal } from '../access/visible';
import { linkPeriod, linkPeriods, performPeriodAction, PERIOD_ACTION_NAMES } from '../actions/period-actions';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';

const params = (req: FastifyRequest) => req.params as { id: string; periodId: string };

/** `/api/links/{id}/periods…`: a link's reporting periods with their ejsync locks; close and reopen (reason required). */
export function registerPeriodApiRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend } = deps;

  app.get('/api/links/:id/periods', async (req, reply) => {
    const found = await findLink(backend.store, principalOf(req), params(req).id);
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
    const model = await linkPeriods(backend, found.value);
    return { linkId: found.value.id, sourceUnreadable: model.sourceUnreadable, periods: model.rows.map((r) => ({ periodId: r.periodId, period: r.period, lockedInEjsync: r.lock })) };
  });

  for (const action of PERIOD_ACTION_NAMES) {
    app.post(`/api/links/:id/periods/:periodId/${action}`, async (req, reply) => {
      const found = await findLink(backend.store, principalOf(req), params(req).id, true);
      if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
      const row = await linkPeriod(backend, found.value, params(req).periodId);
      const reason = (req.body as { reason?: unknown } | undefined)?.reason;
      const outcome = await performPeriodAction(backend, found.value, row, action, actorOf(req), typeof reason === 'string' ? reason : undefined);
      return { linkId: found.value.id, periodId: row.periodId, ...outcome };
    });
  }
}
