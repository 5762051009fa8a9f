import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { Logger } from 'pino';
import { WATCHDOG_QUEUE } from '../queue-names';
import type { PipelineContext } from '../run-pipeline/pipeline-context';
import { DEFAULT_WATCHDOG, watchRuns, type RunWatchdogOptions } from './run-watchdog';

/** The watchdog's job scheduler on its queue (one for the installation, whichever process set it up). */
export const WATCHDOG_SCHEDULER = 'run-watchdog';

export interface WatchdogWorkerOptions extends RunWatchdogOptions {
  connection: ConnectionOptions;
  prefix: string;
  logger?: Logger;
}

/** The watchdog's worker and the timer that keeps its scheduler in Redis; `close()` stops both. */
export interface WatchdogWorker {
  worker: Worker;
  /** Sets the scheduler up again if Redis lost it (a restart without persistence); called on reconnect too. */
  ensureScheduled(): Promise<void>;
  close(): Promise<void>;
}

/**
 * Starts the run watchdog in this process: a BullMQ job scheduler (`upsertJobScheduler`, every
 * `intervalMs`) on its own queue — so a long planning job never delays it — and a worker that
 * runs one look per job (`watchRuns`). Any number of processes may start one: the scheduler is
 * one per installation (upserted by id), and each look is safe beside another. A Redis restarted
 * without persistence forgets the scheduler: every `intervalMs` the process checks it is there
 * and sets it up again.
 */
export function startWatchdogWorker(ctx: PipelineContext, options: WatchdogWorkerOptions): WatchdogWorker {
  const settings = { ...DEFAULT_WATCHDOG, ...stripUndefined(options) };
  const queue = new Queue(WATCHDOG_QUEUE, { connection: options.connection, prefix: options.prefix });
  queue.on('error', (err) => options.logger?.debug({ err }, 'watchdog queue error'));
  const worker = new Worker(
    WATCHDOG_QUEUE,
    async (job) => {
      // The watchdog's own job: its lines about a run carry that run's runId and linkId, and this jobId.
      const log = options.logger?.child({ jobId: job.id ?? null });
      const report = await watchRuns(ctx, settings, log);
      if (report.recovered.length || report.failed.length) log?.info({ ...report }, 'run watchdog acted');
      return report;
    },
    { connection: options.connection, prefix: options.prefix, concurrency: 1 },
  );
  worker.on('error', (err) => options.logger?.debug({ err }, 'watchdog worker error'));
  let closed = false;
  let upserted = false;
  const ensureScheduled = async () => {
    if (closed) return;
    // At start-up the scheduler takes this process's settings; later it is only put back when
    // missing (processes with other settings do not take turns resetting it).
    if (upserted && (await queue.getJobScheduler(WATCHDOG_SCHEDULER))) return;
    await queue.upsertJobScheduler(WATCHDOG_SCHEDULER, { every: settings.intervalMs }, { name: 'watch-runs', data: {}, opts: { removeOnComplete: { count: 10 }, removeOnFail: { count: 100 } } });
    upserted = true;
    options.logger?.info({ intervalMs: settings.intervalMs, stallAfterMs: settings.stallAfterMs, maxRecoveries: settings.maxRecoveries }, 'run watchdog scheduled');
  };
  const keep = () => ensureScheduled().catch((err: unknown) => options.logger?.debug({ err }, 'run watchdog not scheduled yet'));
  void keep();
  const timer = setInterval(keep, settings.intervalMs);
  timer.unref();
  return {
    worker,
    ensureScheduled: keep,
    async close() {
      closed = true;
      clearInterval(timer);
      await worker.close();
      await queue.close();
    },
  };
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
