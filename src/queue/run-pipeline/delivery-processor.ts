import { deliveryLaneOf } from '../queue-names';
import { can, EjsyncError, isEjsyncError, makeFinding, type EntityCollection, type ResolvedChange } from '../../model';
import type { TargetConnector } from '../../connectors/target-connector';
import type { StagedChange } from '../../store';
import { translateReferences } from '../../reconcile';
import { decideDeliveryRetry, isRateLimitCode, stepAsideDelayMs, type DeliveryErrorClass } from './delivery-error-class';
import { enqueueNextPhase } from './enqueue-phase';
import { finishRunIfDone } from './finish-run';
import { undoMismatch } from './undo-check';
import { loadLink, retryPolicyOf, type PipelineContext } from './pipeline-context';

export interface DeliveryJobInput {
  runId: string;
  changeId: string;
  linkId: string;
  /** BullMQ's attempt counter (1-based) and limit, to know when a transient failure is final. */
  attemptsMade: number;
  maxAttempts: number;
}

/** What the worker must do after a failed delivery. */
export type DeliveryFailure = DeliveryErrorClass & { error: unknown; final: boolean };

/**
 * Resolves a change's references through the id map in two passes: first collect which
 * (entity, source id) pairs the record points to, then fetch exactly those.
 */
async function resolve(ctx: PipelineContext, linkId: string, entity: EntityCollection, record: object) {
  const wanted = new Map<EntityCollection, Set<string>>();
  translateReferences(entity, record, (e, id) => {
    if (!wanted.has(e)) wanted.set(e, new Set());
    wanted.get(e)!.add(id);
    return undefined;
  });
  const found = new Map<EntityCollection, Map<string, string>>();
  for (const [e, ids] of wanted) found.set(e, await ctx.store.idMap.targetIds(linkId, e, [...ids]));
  return translateReferences(entity, record, (e, id) => found.get(e)?.get(id));
}

/**
 * Delivers one staged change, exactly once on the platform even across crashes:
 * an attempt row is written before the request; if an earlier attempt has no recorded result
 * (the process died in between), a create first asks the platform whether the record exists
 * (by natural key) and, if so, records it instead of writing again.
 * Returns null on success (or nothing to do), a failure description otherwise.
 */
export async function processDelivery(ctx: PipelineContext, job: DeliveryJobInput): Promise<DeliveryFailure | null> {
  const { store } = ctx;
  const change = await store.changes.get(job.runId, job.changeId);
  const run = await store.runs.require(job.runId);
  if (!change || run.status !== 'applying') return null;
  const link = await loadLink(ctx, job.linkId);
  const lane = deliveryLaneOf(link.target);
  if (change.status !== 'pending') {
    // Done before a crash, maybe without moving the run on: do that part again (idempotent).
    await afterDelivery(ctx, run.id, link.id, lane, change.phase);
    return null;
  }
  const connector = await ctx.connectorFor(link);
  // The platform asked this school's token to wait (a 429 seen by any worker): step aside until
  // then (at most the ceiling). Nothing was sent, so no attempt is logged or burnt.
  const asideMs = (await connector.stepAsideMs?.()) ?? 0;
  if (asideMs > 0) return { kind: 'rate_limited', waitMs: stepAsideDelayMs(asideMs, retryPolicyOf(ctx, lane).stepAsideCeilingMs), error: null, final: false };

  let after: unknown = change.after ?? undefined;
  // A rollback's values were logged in platform ids already: nothing to translate.
  if (after && run.kind !== 'rollback') {
    const resolved = await resolve(ctx, link.id, change.entity, after as object);
    const record = resolved.record as Record<string, unknown>;
    // A reference into what the platform has no place for (a work's lesson on a OneRoster target) is not sent.
    const missing = resolved.missing.filter((m) => can(connector.capabilities, m.entity, 'read'));
    for (const m of resolved.missing) if (!missing.includes(m)) delete record[m.field];
    if (missing.length) {
      const error = new EjsyncError('reconcile.missing_dependency', { detail: missing.map((m) => `${m.field} → ${m.entity} ${m.sourceId}`).join(', ') });
      await store.changes.markFailed(run.id, change.changeId, error.code);
      await afterDelivery(ctx, run.id, link.id, lane, change.phase);
      return { kind: 'permanent', error, final: true };
    }
    after = record;
  }
  // A record re-created by this rollback has a new platform id: its dependants (the marks of a
  // re-created work) must point there, not to the id it had before it was archived.
  if (after && run.kind === 'rollback' && change.op === 'create') {
    const recreated = new Map<EntityCollection, Map<string, string>>();
    for (const c of await store.changes.list(run.id, { status: 'applied' })) {
      const old = (c.after as { sourceId?: string } | null)?.sourceId;
      if (c.op !== 'create' || !c.targetId || !old) continue;
      if (!recreated.has(c.entity)) recreated.set(c.entity, new Map());
      recreated.get(c.entity)!.set(old, c.targetId);
    }
    after = translateReferences(change.entity, after as object, (e, id) => recreated.get(e)?.get(id) ?? id).record;
  }
  const resolved: ResolvedChange = {
    id: change.changeId,
    entity: change.entity,
    op: change.op,
    sourceId: change.sourceId,
    ...(change.targetId ? { targetId: change.targetId } : {}),
    ...(change.before ? { before: change.before as ResolvedChange['before'] } : {}),
    ...(after ? { after: after as ResolvedChange['after'] } : {}),
  };

  const earlier = await store.deliveries.forChange(run.id, change.changeId);
  // An attempt logged as succeeded while the change is still pending: the process died between
  // logging the write and recording it. The write is done — record it, never send it again.
  const landed = earlier.find((a) => a.outcome === 'succeeded' && a.targetId !== null);
  if (landed) {
    const targetId = landed.targetId!;
    if (run.kind === 'rollback') {
      const problem = await undoProblem(connector, resolved, targetId);
      if (problem) return failUnverifiedUndo(ctx, run.id, link.id, lane, change, problem);
    }
    if (change.op === 'create') await store.idMap.put(link.id, [{ entity: change.entity, sourceId: change.sourceId, targetId, matchedBy: 'created' }]);
    if (change.op === 'archive') await store.idMap.remove(link.id, change.entity, change.sourceId);
    await store.changes.markApplied(run.id, change.changeId, targetId, after);
    await afterDelivery(ctx, run.id, link.id, lane, change.phase);
    return null;
  }
  // A write may have reached the platform when an attempt has no recorded result (a crash) or
  // failed in a way that can hide an applied write (timeout, dropped answer, 5xx) — not a 429.
  const maybeWritten = earlier.some((a) => a.outcome === 'sent' || (a.outcome === 'failed' && a.retryable === true && !isRateLimitCode(a.errorCode)));
  const attempt = await store.deliveries.start({
    runId: run.id,
    linkId: link.id,
    changeId: change.changeId,
    entity: change.entity,
    operation: change.op,
    sourceId: change.sourceId,
    targetId: change.targetId,
    before: change.before,
    after,
  });
  const started = performance.now();
  let unverified: string | null = null;
  try {
    let targetId: string | null = null;
    let status = 200;
    let request = { method: 'GET', path: '(проверка существования)' };
    let note: string | undefined;
    if (maybeWritten && change.op === 'create') targetId = await connector.findExisting(resolved);
    if (targetId === null) {
      const outcome = await connector.apply(resolved);
      targetId = outcome.targetId;
      // A platform with a daily cut-off accepted it for a later day (СЭДиЖ / ЭПОС after 14:00).
      if (outcome.effectiveFrom) note = `принято, вступает в силу с ${outcome.effectiveFrom}`;
      status = outcome.status;
      request = outcome.request;
      await store.runs.addWrites(run.id, 1);
    }
    // An undo counts only once the platform shows it: the record gone, or back at its before-value.
    if (run.kind === 'rollback') {
      unverified = await undoProblem(connector, resolved, targetId);
      if (unverified) throw new EjsyncError('rollback.not_verified', { detail: unverified });
    }
    await store.deliveries.finish(attempt.id, { outcome: 'succeeded', targetId, method: request.method, path: request.path, status, durationMs: performance.now() - started, ...(note ? { detail: note } : {}) });
    if (change.op === 'create') await store.idMap.put(link.id, [{ entity: change.entity, sourceId: change.sourceId, targetId, matchedBy: 'created' }]);
    if (change.op === 'archive') await store.idMap.remove(link.id, change.entity, change.sourceId);
    await store.changes.markApplied(run.id, change.changeId, targetId, after);
    ctx.metrics?.recordDelivery(link.target.platform, change.entity, change.op, 'succeeded', null, (performance.now() - started) / 1000);
  } catch (error) {
    const rateLimitedBefore = earlier.filter((a) => a.outcome === 'failed' && isRateLimitCode(a.errorCode)).length;
    const policy = retryPolicyOf(ctx, lane);
    const { final, ...cls } = decideDeliveryRetry(error, { attemptsMade: job.attemptsMade, maxAttempts: job.maxAttempts, rateLimitedBefore, maxRateLimited: policy.rateLimitedAttempts, stepAsideCeilingMs: policy.stepAsideCeilingMs });
    const code = isEjsyncError(error) ? error.code : 'delivery.failed';
    ctx.metrics?.recordDelivery(link.target.platform, change.entity, change.op, 'failed', code, (performance.now() - started) / 1000);
    await store.deliveries.finish(attempt.id, {
      outcome: 'failed',
      status: isEjsyncError(error) ? (error.status ?? null) : null,
      errorCode: code,
      retryable: cls.kind !== 'permanent',
      durationMs: performance.now() - started,
      detail: error instanceof Error ? error.message : String(error),
    });
    if (!final) return { ...cls, error, final };
    if (unverified) await store.findings.add(run.id, [makeFinding('rollback.not_verified', { entity: change.entity, sourceId: change.sourceId, detail: unverified })]);
    await store.changes.markFailed(run.id, change.changeId, code);
    await afterDelivery(ctx, run.id, link.id, lane, change.phase);
    return { ...cls, error, final };
  }
  await afterDelivery(ctx, run.id, link.id, lane, change.phase);
  return null;
}

/**
 * What is wrong with a rollback's undo as the platform shows the record when read back (by its
 * platform id and the platform ids of the delivered record), or null when it is done. A connector
 * that cannot read back cannot confirm an undo.
 */
async function undoProblem(connector: TargetConnector, change: ResolvedChange, targetId: string): Promise<string | null> {
  const addressed = { ...change, targetId };
  const where = `${change.entity} ${change.op === 'archive' ? 'удаление' : change.op === 'create' ? 'восстановление' : 'возврат значения'} ${change.sourceId} (на платформе ${targetId})`;
  if (!connector.readBack) return `${where}: платформа не позволяет перечитать запись`;
  const problem = undoMismatch(addressed, await connector.readBack(addressed), connector);
  return problem ? `${where}: ${problem}` : null;
}

/** An undo the platform does not show (found by a recovered attempt): the change fails with a finding. */
async function failUnverifiedUndo(ctx: PipelineContext, runId: string, linkId: string, lane: string, change: StagedChange, problem: string): Promise<DeliveryFailure> {
  const error = new EjsyncError('rollback.not_verified', { detail: problem });
  await ctx.store.findings.add(runId, [makeFinding('rollback.not_verified', { entity: change.entity, sourceId: change.sourceId, detail: problem })]);
  await ctx.store.changes.markFailed(runId, change.changeId, error.code);
  await afterDelivery(ctx, runId, linkId, lane, change.phase);
  return { kind: 'permanent', error, final: true };
}

/**
 * Moves the run on once the delivered change's phase has nothing pending: queues the next
 * phase, or ends the run. Cheap while the phase still has work (one aggregate query).
 */
async function afterDelivery(ctx: PipelineContext, runId: string, linkId: string, lane: string, phase: number): Promise<void> {
  const lowest = await ctx.store.changes.lowestPendingPhase(runId);
  if (lowest === null) await finishRunIfDone(ctx, runId);
  else if (lowest > phase) await enqueueNextPhase(ctx, runId, linkId, lane);
}
