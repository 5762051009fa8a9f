import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { RUN_STATUS_LABELS, RUN_STATUSES, type RunStatus } from '../../store';
import { findRun, refusal, visibleSchools } from '../access/visible';
import { actionIdsOf, markManualActions, MANUAL_MARKS } from '../actions/manual-actions';
import { RUN_ACTIONS, RUN_ACTION_NAMES, runActionRefusal, type RunActionInput, type RunActionName } from '../actions/run-actions';
import { actorOf, principalOf, type DashboardDeps } from '../dashboard-deps';
import { DashboardError } from '../dashboard-error';
import { progressText } from '../pages/run-page';
import { personalDataView } from '../privacy/personal-data';
import { progressOf } from '../views/run-counts';
import { runModel } from '../views/run-model';
import { readableChange } from '../views/readable-change';

const SETTLED = ['succeeded', 'partial', 'failed', 'held', 'cancelled', 'discarded', 'rolled_back', 'superseded'];

const idOf = (req: FastifyRequest) => (req.params as { id: string }).id;
const int = (v: unknown, dflt: number, max: number) => {
  const n = Number(v);
  return Number.isInteger(n) && n >= 0 ? Math.min(n, max) : dflt;
};

/** Runs a run action for the API: scope, rights, availability, then the pipeline's own action. */
export async function performRunAction(deps: DashboardDeps, req: FastifyRequest, reply: FastifyReply, name: RunActionName, input: RunActionInput) {
  const found = await findRun(deps.backend.store, principalOf(req), idOf(req), true);
  if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'run'));
  const run = found.value;
  const failed = (await deps.backend.queries.openFailures({ runId: run.id, limit: 1 })).length;
  if (!RUN_ACTIONS[name].allowed(run, failed)) {
    throw runActionRefusal(name, run) ?? new DashboardError(409, 'action_unavailable', `Действие «${RUN_ACTIONS[name].label}» недоступно для запуска в состоянии «${RUN_STATUS_LABELS[run.status]}»`);
  }
  return RUN_ACTIONS[name].perform(deps.backend, run, actorOf(req), input);
}

/** `/api/runs…`: list, detail, live status, staged changes, the run actions, and marking manual actions done. */
export function registerRunRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  const { backend } = deps;

  app.get('/api/runs', async (req) => {
    const q = req.query as { linkId?: string; status?: string; limit?: string; offset?: string };
    const status = RUN_STATUSES.includes(q.status as RunStatus) ? (q.status as RunStatus) : undefined;
    const runs = await backend.store.runs.list({ linkId: q.linkId, status, schoolIds: visibleSchools(principalOf(req)), limit: int(q.limit, 50, 200) || 50, offset: int(q.offset, 0, 1e9) });
    return { runs };
  });

  app.get('/api/runs/:id', async (req, reply) => {
    const p = principalOf(req);
    const found = await findRun(backend.store, p, idOf(req));
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'run'));
    const m = await runModel(backend, p, found.value);
    return {
      run: m.run,
      link: m.link ? { id: m.link.id, name: m.link.name, schoolId: m.link.schoolId, platform: m.link.platform, paused: m.link.paused } : null,
      mayAct: m.mayAct,
      actions: m.actions,
      progress: m.progress,
      entities: m.entities,
      heldReasons: m.heldReasons,
      failures: m.failures,
      failedTotal: m.failedTotal,
      manualActions: m.manual,
      findings: m.findings,
      staged: m.staged,
    };
  });

  app.get('/api/runs/:id/status', async (req, reply) => {
    const found = await findRun(backend.store, principalOf(req), idOf(req));
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'run'));
    const run = found.value;
    const progress = progressOf(await backend.store.changes.counts(run.id));
    return { id: run.id, status: run.status, statusLabel: RUN_STATUS_LABELS[run.status], settled: SETTLED.includes(run.status), progress: { ...progress, text: progressText(progress, run.status) } };
  });

  app.get('/api/runs/:id/changes', async (req, reply) => {
    const p = principalOf(req);
    const found = await findRun(backend.store, p, idOf(req));
    if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'run'));
    const q = req.query as { status?: string; limit?: string; offset?: string };
    const status = ['pending', 'applied', 'failed', 'skipped'].includes(q.status ?? '') ? (q.status as 'pending') : undefined;
    const view = personalDataView(p, found.value.schoolId);
    const people = await backend.peopleView(p, found.value.linkId, found.value.schoolId);
    const changes = await backend.store.changes.list(found.value.id, { status, limit: int(q.limit, 200, 1000) || 200, offset: int(q.offset, 0, 1e9) });
    return {
      changes: changes.map((c) => ({
        ...c,
        before: c.before && typeof c.before === 'object' ? view.record(c.before) : c.before,
        after: c.after && typeof c.after === 'object' ? view.record(c.after) : c.after,
        delivered: c.delivered && typeof c.delivered === 'object' ? view.record(c.delivered) : c.delivered,
        readable: readableChange(c, people, view),
      })),
    };
  });

  for (const name of RUN_ACTION_NAMES) {
    app.post(`/api/runs/:id/${name}`, async (req, reply) => {
      const body = (req.body ?? {}) as { reason?: unknown; code?: unknown; changeIds?: unknown; changeId?: unknown };
      const changeId = typeof body.changeId === 'string' ? body.changeId : Array.isArray(body.changeIds) && body.changeIds.length === 1 ? String(body.changeIds[0]) : undefined;
      const outcome = await performRunAction(deps, req, reply, name, {
        reason: typeof body.reason === 'string' ? body.reason : undefined,
        code: typeof body.code === 'string' ? body.code : undefined,
        changeId,
      });
      if (reply.sent) return reply;
      return { ...(outcome as { result: object }).result, runId: (outcome as { runId: string }).runId, message: (outcome as { message: string }).message };
    });
  }

  for (const mark of MANUAL_MARKS) {
    app.post(`/api/runs/:id/manual-actions/${mark}`, async (req, reply) => {
      const found = await findRun(backend.store, principalOf(req), idOf(req), true);
      if (!found.ok) return reply.code(found.status).send(refusal(found.status, 'run'));
      return markManualActions(backend, found.value, actorOf(req), mark, actionIdsOf(req.body));
    });
  }
}
