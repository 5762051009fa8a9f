import { randomUUID } from 'node:crypto';
import { deliveryLaneOf } from '../queue-names';
import { assertIdsOnly, planJobSchema } from '../job-payloads';
import { EjsyncError } from '../../model';
import type { Actor, RunRecord } from '../../store';
import { requeuePendingDeliveries, requeuePlanJob } from './requeue-run';
import { loadLink, type PipelineContext } from './pipeline-context';

/** What acting on runs needs: the store and the queues (no source reader or connector). */
export type RunActionContext = Pick<PipelineContext, 'store' | 'planQueue' | 'deliveryQueue' | 'now' | 'onRunFinished' | 'metrics'>;

/**
 * A held run is approved (audited with who and why) and planned again by the planning worker
 * against the export and the platform as they are now (`replanApprovedRun`): delivered when the
 * plan is the one the person saw, held again with what changed otherwise. A run a newer plan
 * superseded is refused with `run.superseded`; the returned run is `approved`.
 */
export async function approveRun(ctx: RunActionContext, runId: string, actor: Actor, reason?: string): Promise<RunRecord> {
  let approved: RunRecord;
  try {
    approved = await ctx.store.runs.transition(runId, 'approved', {}, { ...actor, reason });
  } catch (error) {
    // Superseded before or while the person decided: say so, not "invalid transition".
    const run = await ctx.store.runs.get(runId);
    if (run?.status === 'superseded') throw new EjsyncError('run.superseded', { detail: `запуск ${run.id} заменён запуском ${String(run.summary.supersededBy ?? '—')}`, cause: error });
    throw error;
  }
  const data = assertIdsOnly(planJobSchema, { runId, linkId: approved.linkId });
  await ctx.planQueue.add('plan', data, { jobId: `replan.${runId}.${randomUUID()}`, attempts: 1, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } });
  return approved;
}

/** A held run is dropped: nothing is sent (audited with who and why). */
export async function discardRun(ctx: RunActionContext, runId: string, actor: Actor, reason?: string): Promise<RunRecord> {
  return ctx.store.runs.transition(runId, 'discarded', {}, { ...actor, reason });
}

/** What `retryFailed` queued again. */
export interface RetryResult {
  run: RunRecord;
  /** Changes queued again: failed ones put back plus pending ones re-queued. */
  requeued: number;
  /** Failed changes put back to pending. */
  failed: number;
  /** Changes that were pending (staged, never delivered — e.g. Redis lost their jobs) and were queued again. */
  pending: number;
  /** A planned or approved run's planning job was queued again. */
  planRequeued: boolean;
}

/** Statuses whose pending changes are deliveries to make (not a plan waiting for a decision). */
const DELIVERING: readonly string[] = ['applying', 'partial', 'failed'];

/**
 * Re-queues a run's undelivered changes: the failed ones (all, one error code, or given changes)
 * and — when retrying all — the pending ones, staged but never delivered (Redis lost their jobs,
 * the watchdog gave up with `run.stalled`). A finished run goes back to `applying` (refused with
 * `run.link_busy` while another run of its link applies) and ends again when they are done; an
 * applying run just gets its pending deliveries queued again. Idempotent: deterministic job ids,
 * and what already landed is decided by the store (see `requeuePendingDeliveries`). A planned or
 * approved run whose planning job was lost gets it queued again.
 */
export async function retryFailed(ctx: RunActionContext, runId: string, actor: Actor, filter: { code?: string; changeIds?: string[] } = {}): Promise<RetryResult> {
  const run = await ctx.store.runs.require(runId);
  const link = await loadLink(ctx, run.linkId);
  const lane = deliveryLaneOf(link.target);
  if (run.status === 'planned' || run.status === 'approved') {
    await requeuePlanJob(ctx, run, `retry${Date.now()}`);
    await ctx.store.audit.append({ ...actor, action: 'run.retry', objectType: 'run', objectId: run.id, schoolId: run.schoolId, details: { planJob: true } });
    return { run, requeued: 0, failed: 0, pending: 0, planRequeued: true };
  }
  const failed = await ctx.store.changes.list(runId, { status: 'failed', ...(filter.code ? { errorCode: filter.code } : {}) });
  const chosen = filter.changeIds ? failed.filter((c) => filter.changeIds!.includes(c.changeId)) : failed;
  let pending = 0;
  if (!filter.code && !filter.changeIds && DELIVERING.includes(run.status)) {
    for (const row of await ctx.store.changes.counts(runId)) if (row.status === 'pending') pending += row.n;
  }
  if (!chosen.length && !pending) return { run, requeued: 0, failed: 0, pending: 0, planRequeued: false };
  const reason = filter.code ? `повтор по коду ${filter.code}` : 'повтор недоставленных';
  let current = run;
  if (run.status === 'applying') {
    await ctx.store.audit.append({ ...actor, action: 'run.retry', objectType: 'run', objectId: run.id, schoolId: run.schoolId, details: { reason, pending, failed: chosen.length, before: { status: 'failed' }, after: { status: 'pending' } } });
  } else {
    current = await ctx.store.runs.transition(runId, 'applying', {}, { ...actor, reason });
  }
  const reset = chosen.length ? await ctx.store.changes.resetFailed(runId, filter.code, chosen.map((c) => c.changeId)) : 0;
  await requeuePendingDeliveries(ctx, runId, link.id, lane);
  return { run: current, requeued: reset + pending, failed: reset, pending, planRequeued: false };
}
