import type { Logger } from 'pino';
import { makeFinding } from '../../model';
import type { RunRecord, WatchedRun } from '../../store';
import { runsWithLiveJobs } from '../live-run-jobs';
import { deliveryLaneOf } from '../queue-names';
import { loadLink, type PipelineContext } from '../run-pipeline/pipeline-context';
import { requeuePendingDeliveries, requeuePlanJob } from '../run-pipeline/requeue-run';

export interface RunWatchdogOptions {
  /** How often the watchdog looks at the runs in progress (its job scheduler's interval), ms. @defaultValue 30000 */
  intervalMs?: number;
  /**
   * How long a run `planned`, `approved` or `applying` may have no live job (waiting, active,
   * delayed, prioritized) in the planning queue and its lane before its work is queued again, ms.
   * @defaultValue 120000
   */
  stallAfterMs?: number;
  /** How many times a run's work is queued again before the run fails with `run.stalled`. @defaultValue 3 */
  maxRecoveries?: number;
}

export const DEFAULT_WATCHDOG: Required<RunWatchdogOptions> = { intervalMs: 30_000, stallAfterMs: 120_000, maxRecoveries: 3 };

/** What one look of the watchdog did. */
export interface WatchdogReport {
  /** Runs in progress it looked at. */
  watched: number;
  /** Of them, with no live job right now. */
  idle: number;
  /** Runs whose work it queued again. */
  recovered: string[];
  /** Runs it failed with `run.stalled`. */
  failed: string[];
}

type Ctx = Pick<PipelineContext, 'store' | 'planQueue' | 'deliveryQueue' | 'now' | 'onRunFinished' | 'metrics' | 'retryPolicy'>;

/**
 * One look of the run watchdog: no run stays stuck. A run `planned`, `approved` or `applying`
 * with no live job in the planning queue or its lane (Redis lost them, a worker died between two
 * steps) for longer than `stallAfterMs` gets its work queued again — an applying run its pending
 * deliveries (idempotent: deterministic job ids; the store's change statuses and delivery log
 * decide what already landed), a planned or approved run its planning job — and after
 * `maxRecoveries` times it fails with `run.stalled` (its pending deliveries can be retried).
 * Safe with any number of watchdogs at once: a recovery is counted in the store only by the one
 * that saw the run idle first.
 */
export async function watchRuns(ctx: Ctx, options: RunWatchdogOptions = {}, logger?: Logger): Promise<WatchdogReport> {
  const { stallAfterMs, maxRecoveries } = { ...DEFAULT_WATCHDOG, ...options };
  const runs = await ctx.store.runs.unsettled();
  const report: WatchdogReport = { watched: runs.length, idle: 0, recovered: [], failed: [] };
  if (!runs.length) return report;
  const lanes = new Map<string, string | null>();
  for (const linkId of new Set(runs.map((r) => r.linkId))) {
    lanes.set(linkId, await loadLink(ctx, linkId).then((l) => deliveryLaneOf(l.target), () => null));
  }
  const queues = [ctx.planQueue, ...[...new Set(lanes.values())].filter((l): l is string => l !== null).map((l) => ctx.deliveryQueue(l))];
  const live = await runsWithLiveJobs(queues, runs.map((r) => r.id));
  await ctx.store.runs.markBusy(runs.filter((r) => live.has(r.id)).map((r) => r.id));
  const idle = await ctx.store.runs.markIdle(runs.filter((r) => !live.has(r.id)).map((r) => r.id));
  report.idle = idle.length;
  for (const run of idle.filter((r) => r.idleMs >= stallAfterMs)) {
    const recoveries = await ctx.store.runs.countRecovery(run.id, run.idleSince);
    if (recoveries === null) continue; // another watchdog, or the run moved on
    const lane = lanes.get(run.linkId) ?? null;
    const log = { runId: run.id, linkId: run.linkId, status: run.status, idleMs: Math.round(run.idleMs), recoveries };
    if (recoveries > maxRecoveries || lane === null) {
      const failed = await failStalledRun(ctx, run, lane === null ? 'связь не зарегистрирована' : `задания очереди ставились заново ${maxRecoveries} раз(а)`);
      if (failed) report.failed.push(run.id);
      logger?.error({ ...log, failed: !!failed }, 'run stalled: failed with run.stalled');
      continue;
    }
    try {
      const what = await recoverRun(ctx, run, lane, recoveries);
      report.recovered.push(run.id);
      logger?.warn({ ...log, ...what }, 'run had no live job: its work was queued again');
    } catch (error) {
      logger?.error({ ...log, err: error }, 'run watchdog could not queue the run again');
    }
  }
  return report;
}

/** Queues a stalled run's work again; says what. */
async function recoverRun(ctx: Ctx, run: WatchedRun, lane: string, recoveries: number): Promise<Record<string, unknown>> {
  if (run.status === 'applying') {
    const requeued = await requeuePendingDeliveries(ctx, run.id, run.linkId, lane);
    if (requeued.phase !== null) {
      await ctx.store.findings.add(run.id, [makeFinding('run.recovered', { detail: `ожидали доставки ${requeued.pending}; поставлены в очередь заново (${recoveries}-й раз)` })]);
    }
    return { requeuedDeliveries: requeued.pending, phase: requeued.phase, droppedFinishedJobs: requeued.dropped };
  }
  await requeuePlanJob(ctx, run, `r${recoveries}`);
  return { requeuedPlanJob: true };
}

/** Ends a run the watchdog gave up on: `failed` with `run.stalled` and a finding that says why. */
async function failStalledRun(ctx: Ctx, run: WatchedRun, why: string): Promise<RunRecord | null> {
  let failed: RunRecord;
  try {
    failed = await ctx.store.runs.transition(run.id, 'failed', { errorCode: 'run.stalled' });
  } catch {
    return null; // it moved on meanwhile
  }
  await ctx.store.findings.add(run.id, [makeFinding('run.stalled', { detail: why })]);
  await ctx.onRunFinished?.(failed);
  return failed;
}
