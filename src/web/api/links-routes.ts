import type { FastifyInstance, FastifyRequest } from 'fastify';
import { findLink, refusal } from '../access/visible';
import { LINK_ACTIONS, LINK_ACTION_NAMES, type LinkActionName } from '../actions/link-actions';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { DashboardError } from '../dashboard-error';
import { overviewModel } from '../views/overview-model';

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;

/** `/api/links…`: the overview rows, one link, pause / resume / run now. */
export function registerLinkRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend } = deps;

  app.get('/api/links', async (req) => {
    const q = req.query as { q?: string; school?: string; platform?: string; state?: string };
    const model = await overviewModel(backend, principalOf(req), q, { now: deps.now(), timeZone: deps.timeZone });
    return { links: model.rows, held: model.held, total: model.total };
  });

  app.get('/api/links/:id', async (req, reply) => {
    const p = principalOf(req);
    const found = await findLink(backend.store, p, idOf(req));
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
    const model = await overviewModel(backend, p, {}, { now: deps.now(), timeZone: deps.timeZone });
    return { link: model.rows.find((r) => r.id === found.value.id) ?? null, runs: await backend.store.runs.list({ linkId: found.value.id, limit: 20 }) };
  });

  const route: Record<LinkActionName, string> = { pause: 'pause', resume: 'resume', run: 'run' };
  for (const name of LINK_ACTION_NAMES) {
    app.post(`/api/links/:id/${route[name]}`, async (req, reply) => {
      const found = await findLink(backend.store, principalOf(req), idOf(req), true);
      if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'link'));
      const refused = await LINK_ACTIONS[name].refusal(backend, found.value);
      if (refused) throw new DashboardError(409, 'action_unavailable', refused);
      const outcome = await LINK_ACTIONS[name].perform(backend, found.value, actorOf(req));
      return { ...(outcome.result as object), message: outcome.message };
    });
  }
}
