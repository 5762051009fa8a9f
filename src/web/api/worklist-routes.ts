import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findLink, refusal } from '../access/visible';
import { mergeIdentity } from '../actions/identity-merge';
import { actionIdsOf, MANUAL_MARKS, markWorklist } from '../actions/manual-actions';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { worklistModel } from '../views/worklist-model';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const str = (v: unknown) => (typeof v === 'string' ? v : '');

/** `/api/worklist` (manual actions across runs), marking them per link, and manual identity merges. */
export function registerWorklistApiRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend } = deps;

  app.get('/api/worklist', async (req) => {
    const q = req.query as Record<string, unknown>;
    const m = await worklistModel(backend, principalOf(req), { link: str(q.link) || undefined, status: str(q.status) || undefined, overdue: q.overdue === '1' || q.overdue === 'true', q: str(q.q), page: Number(q.page) || 1 }, deps.now());
    return { worklist: m.rows, total: m.total, page: m.page, pages: m.pages, overdueDays: m.overdueDays };
  });

  for (const mark of MANUAL_MARKS) {
    app.post(`/api/links/:id/worklist/${mark}`, async (req, reply) => {
      const found = await findLink(backend.store, principalOf(req), idOf(req), true);
      if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
      return markWorklist(backend, found.value.id, actorOf(req), mark, actionIdsOf(req.body));
    });
  }

  app.post('/api/links/:id/identity-merges', async (req, reply) => {
    const found = await findLink(backend.store, principalOf(req), idOf(req), true);
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
    const b = (req.body ?? {}) as Record<string, unknown>;
    return mergeIdentity(backend, found.value, { entity: str(b.entity), sourceId: str(b.sourceId), targetId: str(b.targetId), reason: str(b.reason) }, actorOf(req));
  });
}
