import { PRIORITY_LIMIT } from 'bullmq';
import { assertIdsOnly, deliveryJobSchema } from '../job-payloads';
import { laneTurn } from '../lane-turn';
import { retryPolicyOf, type PipelineContext } from './pipeline-context';

/** The BullMQ job id of a change's delivery round: `<run>.<change>.g<generation>` (no ':' allowed). */
export function deliveryJobId(runId: string, changeId: string, generation: number): string {
  return `${runId}.${changeId}.g${generation}`.replace(/:/g, '_');
}

type Ctx = Pick<PipelineContext, 'store' | 'deliveryQueue' | 'now' | 'onRunFinished' | 'metrics' | 'retryPolicy'>;

/**
 * Queues the deliveries of the lowest phase that still has pending changes. Job ids are
 * deterministic (`<run>.<change>.g<attempts>`), so queueing a phase twice (two deliveries finishing at once,
 * a restart) adds nothing. Returns the phase, or null when nothing is pending.
 */
export async function enqueueNextPhase(ctx: Ctx, runId: string, linkId: string, lane: string): Promise<number | null> {
  const phase = await ctx.store.changes.lowestPendingPhase(runId);
  if (phase === null) return null;
  const pending = await ctx.store.changes.list(runId, { status: 'pending', phase });
  const queue = ctx.deliveryQueue(lane);
  // Schools share a lane but each has its own request limit, so the lane takes its runs in turn:
  // a phase's changes are ranked from the lane's current turn on — the first of every run, then the
  // second of every run … A run's next phase, or a run that comes late, joins at the current turn
  // instead of jumping ahead of the others while the worker's slots all wait on one school's limit.
  const turn = await laneTurn(queue);
  const retry = retryPolicyOf(ctx, lane);
  const jobs = pending.map((c, rank) => ({
    name: 'deliver',
    data: assertIdsOnly(deliveryJobSchema, { runId, changeId: c.changeId, linkId, phase }),
    opts: {
      // The generation (attempts so far) makes a retried change a new job; within one
      // generation, queueing twice is a no-op.
      jobId: deliveryJobId(runId, c.changeId, c.attempts),
      // Past BullMQ's lowest priority (2^21 − 1) a huge phase's rest shares it, first come first served.
      priority: Math.min(turn + rank + 1, PRIORITY_LIMIT),
      attempts: retry.attempts,
      backoff: { type: 'exponential', delay: retry.backoffMs, jitter: retry.jitter },
      removeOnComplete: { count: 1000 },
      removeOnFail: { count: 10000 },
    },
  }));
  for (let i = 0; i < jobs.length; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
  return phase;
}
