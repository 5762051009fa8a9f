import { randomUUID } from 'node:crypto';
import { deliveryLaneOf } from '../queue-names';
import { assertIdsOnly, planJobSchema } from '../job-payloads';
import { EjsyncError } from '../../model';
import type { Actor, RunRecord } from '../../store';
import { enqueueNextPhase } from './enqueue-phase';
import { finishRunIfDone } from './finish-run';
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

/**
 * Re-queues a finished run's failed deliveries (all, one error code, or given changes): the
 * run goes back to `applying` and ends again when they are done.
 */
export async function retryFailed(ctx: RunActionContext, runId: string, actor: Actor, filter: { code?: string; changeIds?: string[] } = {}): Promise<{ run: RunRecord; requeued: number }> {
  const run = await ctx.store.runs.require(runId);
  const link = await loadLink(ctx, run.linkId);
  const failed = await ctx.store.changes.list(runId, { status: 'failed', ...(filter.code ? { errorCode: filter.code } : {}) });
  const chosen = filter.changeIds ? failed.filter((c) => filter.changeIds!.includes(c.changeId)) : failed;
  if (!chosen.length) return { run, requeued: 0 };
  const applying = await ctx.store.runs.transition(runId, 'applying', {}, { ...actor, reason: filter.code ? `повтор по коду ${filter.code}` : 'повтор недоставленных' });
  const requeued = await ctx.store.changes.resetFailed(runId, filter.code, chosen.map((c) => c.changeId));
  await enqueueNextPhase(ctx, runId, link.id, deliveryLaneOf(link.target));
  return { run: applying, requeued };
}
