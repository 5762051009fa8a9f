import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findLink } from '../access/visible';
import { mergeIdentity } from '../actions/identity-merge';
import { safeReturnPath } from '../auth/safe-return-path';
import { actionIdsOf, isManualMark, markWorklist } from '../actions/manual-actions';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { worklistModel } from '../views/worklist-model';
import { pageOf } from './pager';
import { page, refused } from './respond';
import { worklistPage } from './worklist-page';

const param = (req: FastifyRequest, name: string) => (req.params as Record<string, string>)[name];
const str = (v: unknown) => (typeof v === 'string' ? v.trim() : '');
/**
 * Back to a list of this dashboard only: a path {@link safeReturnPath} keeps (no `//`, `\\`,
 * control characters — a CR/LF would fail the `Location` header with a 500), under `/worklist` or `/links/`.
 */
const backTo = (v: unknown, fallback: string) => {
  const { path, refused } = safeReturnPath(v);
  return !refused && /^\/(worklist(?:[/?#]|$)|links\/)/.test(path) ? path : fallback;
};

/** The worklist page, marking its items, and linking a person by hand (pupil page form). */
export function registerWorklistRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend, timeZone } = deps;

  app.get('/worklist', async (req, reply) => {
    const p = principalOf(req);
    const q = req.query as Record<string, unknown>;
    const m = await worklistModel(backend, p, { link: str(q.link) || undefined, status: str(q.status) || undefined, overdue: q.overdue === '1', q: str(q.q), page: pageOf(q.page) }, deps.now());
    return page(req, reply, { title: 'Ручные действия', section: 'worklist' }, worklistPage(m, timeZone, req.session?.csrfToken));
  });

  // Reversible and nothing goes to the platform: a direct CSRF-protected form, audited.
  app.post('/links/:id/worklist/:mark', async (req, reply) => {
    const p = principalOf(req);
    const mark = param(req, 'mark');
    if (!isManualMark(mark)) return refused(reply, p, 404, 'Связь');
    const found = await findLink(backend.store, p, param(req, 'id'), true);
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    await markWorklist(backend, found.value.id, actorOf(req), mark, actionIdsOf(req.body));
    return reply.redirect(backTo((req.body as Record<string, unknown>).back, '/worklist'), 303);
  });

  app.post('/links/:id/pupils/:pupilId/merge', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, param(req, 'id'), true);
    if (!found.ok) return refused(reply, p, found.status, 'Связь');
    const body = (req.body ?? {}) as Record<string, unknown>;
    await mergeIdentity(backend, found.value, { entity: 'pupils', sourceId: param(req, 'pupilId'), targetId: str(body.targetId), reason: str(body.reason) }, actorOf(req));
    return reply.redirect(`/links/${found.value.id}/pupils/${encodeURIComponent(param(req, 'pupilId'))}?merged=1`, 303);
  });
}
