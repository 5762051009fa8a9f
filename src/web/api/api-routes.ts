import type { FastifyInstance } from 'fastify';
import { RUN_STATUSES, type RunStatus } from '../../store';
import type { RunActionContext } from '../../queue/run-pipeline/run-actions';
import { approveRun, discardRun, retryFailed } from '../../queue/run-pipeline/run-actions';
import { rollbackRun } from '../../queue/run-pipeline/rollback-run';
import { canActOnSchool, canSeeSchool } from '../auth/roles';
import { visibleRun, visibleSchools } from './scope';

const actorOf = (req: { principal: { oid: string; displayName: string } | null }) => ({ actorOid: req.principal!.oid, actorName: req.principal!.displayName });

/** The JSON API of the dashboard; every route is behind sign-in and scoped to the person's schools. */
export function registerApiRoutes(app: FastifyInstance, ctx: RunActionContext): void {
  const { store } = ctx;

  app.get('/api/links', async (req) => {
    const links = await store.links.list(visibleSchools(req.principal!));
    const out = [];
    for (const link of links) {
      const [last] = await store.runs.list({ linkId: link.id, limit: 1 });
      const recent = await store.runs.recentStatuses(link.id, 10);
      let consecutiveFailures = 0;
      for (const s of recent) {
        if (s === 'failed' || s === 'partial') consecutiveFailures++;
        else break;
      }
      out.push({ id: link.id, name: link.name, schoolId: link.schoolId, platform: link.platform, paused: link.paused, lastRun: last ?? null, consecutiveFailures });
    }
    return { links: out };
  });

  app.get('/api/runs', async (req) => {
    const q = req.query as { linkId?: string; status?: string; limit?: string; offset?: string };
    const status = RUN_STATUSES.includes(q.status as RunStatus) ? (q.status as RunStatus) : undefined;
    return { runs: await store.runs.list({ linkId: q.linkId, status, schoolIds: visibleSchools(req.principal!), limit: Math.min(Number(q.limit ?? 50), 200), offset: Number(q.offset ?? 0) }) };
  });

  app.get('/api/runs/:id', async (req, reply) => {
    const run = await visibleRun(store, req, reply, (req.params as { id: string }).id);
    if (!run) return reply;
    const [findings, failed, manual] = await Promise.all([store.findings.forRun(run.id, 1000), store.changes.list(run.id, { status: 'failed', limit: 1000 }), store.manualActions.forRun(run.id)]);
    const lastAttempts = await Promise.all(failed.map(async (c) => ({ change: c, attempts: await store.deliveries.forChange(run.id, c.changeId) })));
    return {
      run,
      findings,
      failed: lastAttempts.map(({ change, attempts }) => ({
        changeId: change.changeId,
        entity: change.entity,
        op: change.op,
        sourceId: change.sourceId,
        code: change.lastErrorCode,
        attempts: attempts.length,
        lastStatus: attempts.at(-1)?.status ?? null,
        lastRequest: attempts.at(-1) ? `${attempts.at(-1)!.method ?? ''} ${attempts.at(-1)!.path ?? ''}`.trim() : null,
      })),
      manualActions: manual,
    };
  });

  app.get('/api/failures', async (req) => {
    const links = await store.links.list(visibleSchools(req.principal!));
    return { failures: await store.deliveries.failuresByCode({ linkIds: links.map((l) => l.id) }) };
  });

  app.get('/api/audit', async (req) => ({ audit: await store.audit.list({ schoolIds: visibleSchools(req.principal!), limit: 200 }) }));

  app.post('/api/runs/:id/approve', async (req, reply) => {
    const run = await visibleRun(store, req, reply, (req.params as { id: string }).id, true);
    if (!run) return reply;
    return { run: await approveRun(ctx, run.id, actorOf(req), (req.body as { reason?: string } | undefined)?.reason) };
  });

  app.post('/api/runs/:id/discard', async (req, reply) => {
    const run = await visibleRun(store, req, reply, (req.params as { id: string }).id, true);
    if (!run) return reply;
    return { run: await discardRun(ctx, run.id, actorOf(req), (req.body as { reason?: string } | undefined)?.reason) };
  });

  app.post('/api/runs/:id/retry', async (req, reply) => {
    const run = await visibleRun(store, req, reply, (req.params as { id: string }).id, true);
    if (!run) return reply;
    const body = (req.body ?? {}) as { code?: string; changeIds?: string[] };
    return retryFailed(ctx, run.id, actorOf(req), { code: body.code, changeIds: body.changeIds });
  });

  app.post('/api/runs/:id/rollback', async (req, reply) => {
    const run = await visibleRun(store, req, reply, (req.params as { id: string }).id, true);
    if (!run) return reply;
    return rollbackRun(ctx, run.id, actorOf(req));
  });

  for (const [action, paused] of [
    ['pause', true],
    ['resume', false],
  ] as const) {
    app.post(`/api/links/:id/${action}`, async (req, reply) => {
      const link = await store.links.get((req.params as { id: string }).id);
      if (!link || !canSeeSchool(req.principal!, link.schoolId)) return reply.code(404).send({ error: 'not_found', message: 'Связь не найдена' });
      if (!canActOnSchool(req.principal!, link.schoolId)) return reply.code(403).send({ error: 'forbidden', message: 'Недостаточно прав для действия в этой школе' });
      await store.links.setPaused(link.id, paused);
      await store.audit.append({ ...actorOf(req), action: `link.${action}`, objectType: 'link', objectId: link.id, schoolId: link.schoolId });
      return { id: link.id, paused };
    });
  }
}
