import { assertIdsOnly, planJobSchema } from '../job-payloads';
import { finishedJobIds } from '../live-run-jobs';
import type { RunRecord } from '../../store';
import { deliveryJobId, enqueueNextPhase } from './enqueue-phase';
import { finishRunIfDone } from './finish-run';
import type { PipelineContext } from './pipeline-context';

type Ctx = Pick<PipelineContext, 'store' | 'deliveryQueue' | 'now' | 'onRunFinished' | 'metrics' | 'retryPolicy'>;

/** What re-queueing a run's pending deliveries did. */
export interface RequeuedDeliveries {
  /** The phase queued, or null when nothing was pending (the run was ended instead, if it could be). */
  phase: number | null;
  /** Changes of the run still to deliver (every phase). */
  pending: number;
  /** Jobs of the queued phase the queue still kept as finished and were dropped to be queued again. */
  dropped: number;
}

/**
 * Queues an applying run's pending deliveries again — after Redis lost its jobs, a worker died
 * between phases, or a person asked for a retry. Idempotent: the job ids are the deterministic
 * ones of `enqueueNextPhase`, so a job still waiting or running is not added twice; and what
 * already reached the platform is decided by the store, not the queue (a change no longer
 * pending is not queued; an attempt logged as sent is looked up on the platform before writing
 * again). A finished job the queue still keeps under the same id (its change is still pending, so
 * it did not deliver it) is dropped first, or the add would be a no-op. With nothing pending, the
 * run is ended as the last delivery would have ended it.
 */
export async function requeuePendingDeliveries(ctx: Ctx, runId: string, linkId: string, lane: string): Promise<RequeuedDeliveries> {
  let pending = 0;
  for (const row of await ctx.store.changes.counts(runId)) if (row.status === 'pending') pending += row.n;
  const phase = await ctx.store.changes.lowestPendingPhase(runId);
  if (phase === null) {
    await finishRunIfDone(ctx, runId);
    return { phase: null, pending: 0, dropped: 0 };
  }
  const queue = ctx.deliveryQueue(lane);
  const ids = (await ctx.store.changes.list(runId, { status: 'pending', phase })).map((c) => deliveryJobId(runId, c.changeId, c.attempts));
  const stale = await finishedJobIds(queue, ids);
  for (const id of stale) await queue.remove(id);
  await enqueueNextPhase(ctx, runId, linkId, lane);
  return { phase, pending, dropped: stale.length };
}

/**
 * Queues a planned or approved run's planning job again (its job was lost). `tag` makes the job
 * id new (`plan.<run>.<tag>`), so a finished job of the same run kept by the queue does not
 * swallow it; planning is safe to run twice for a run (it plans only a `planned` one).
 */
export async function requeuePlanJob(ctx: Pick<PipelineContext, 'planQueue'>, run: Pick<RunRecord, 'id' | 'linkId'>, tag: string): Promise<void> {
  const data = assertIdsOnly(planJobSchema, { runId: run.id, linkId: run.linkId });
  await ctx.planQueue.add('plan', data, { jobId: `plan.${run.id}.${tag}`, attempts: 3, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } });
}
