import { DelayedError, UnrecoverableError, Worker, type ConnectionOptions, type Telemetry } from 'bullmq';
import type { Logger } from 'pino';
import { isEjsyncError, makeFinding } from '../../model';
import { deliveryJobSchema, planJobSchema } from '../job-payloads';
import { deliveryQueueName, PLAN_QUEUE, type DeliveryLane } from '../queue-names';
import { SCHEDULED_RUN_JOB } from '../link-schedules';
import { raiseLaneTurn } from '../lane-turn';
import { processDelivery } from './delivery-processor';
import { processPlanJob } from './plan-processor';
import type { PipelineContext } from './pipeline-context';

/** Runs planned at once per process unless told otherwise. */
export const DEFAULT_PLAN_CONCURRENCY = 4;

export interface PipelineWorkerOptions {
  connection: ConnectionOptions;
  prefix: string;
  /** Serve the planning queue in this process. @defaultValue true */
  plan?: boolean;
  /** Delivery lanes (platform installations) this process serves, each with its rate limit. @defaultValue none */
  lanes?: readonly DeliveryLane[];
  /** Parallel deliveries per lane in this process. @defaultValue 8 */
  concurrency?: number;
  /**
   * Runs planned at once in this process: planning mostly waits on the platform's reads, paced by
   * each school's own request limit; each plan holds its school's data in memory. @defaultValue 4
   */
  planConcurrency?: number;
  /** How long a job's lock lasts before another worker may take it over. @defaultValue 30000 */
  lockDurationMs?: number;
  /** How often stalled jobs are looked for. @defaultValue 30000 */
  stalledIntervalMs?: number;
  /** Starts a run for a scheduled job of a link (the nightly run); returns the run started, if any. */
  onScheduledRun?: (linkId: string) => Promise<{ id: string } | null | void>;
  /**
   * How long a run waits before it looks again whether its link is free, when another run of
   * the link plans or applies (no attempt is used up while it waits), ms. @defaultValue 5000
   */
  linkBusyRetryMs?: number;
  /**
   * Where queue errors and what becomes of each job are logged (ids only). Every line about a run
   * comes from a child logger bound to its `runId`, `linkId` and `jobId`. @defaultValue none
   */
  logger?: Logger;
  /** OpenTelemetry through BullMQ's telemetry interface (`startQueueTracing`). @defaultValue none */
  telemetry?: Telemetry;
}

/** The job's own logger (`runId`, `linkId`, `jobId` on every line) and a context that logs through it. */
function jobScope(ctx: PipelineContext, logger: Logger | undefined, ids: { runId: string; linkId: string; jobId: string | undefined }): { log: Logger | undefined; ctx: PipelineContext } {
  const log = logger?.child({ runId: ids.runId, linkId: ids.linkId, jobId: ids.jobId ?? null });
  return { log, ctx: log ? { ...ctx, logger: log } : ctx };
}

/**
 * Starts the planning worker and one delivery worker per lane (platform installation). A delivery
 * that hits the platform's request limit (per school token) waits out the wait the platform asked
 * for, and so does every request of that token in every process, while other schools go on (no
 * attempt burnt); transient failures go back with exponential backoff and jitter; permanent
 * ones are recorded with their code and stop.
 */
export function startPipelineWorkers(ctx: PipelineContext, options: PipelineWorkerOptions): Worker[] {
  const common = {
    connection: options.connection,
    prefix: options.prefix,
    lockDuration: options.lockDurationMs ?? 30_000,
    stalledInterval: options.stalledIntervalMs ?? 30_000,
    // A crashed process leaves its jobs stalled; deliveries are idempotent, so take them again.
    maxStalledCount: 50,
    ...(options.telemetry ? { telemetry: options.telemetry } : {}),
  };
  const workers: Worker[] = [];
  if (options.plan ?? true) {
    const planner = new Worker(
      PLAN_QUEUE,
      async (job, token) => {
        if (job.name === SCHEDULED_RUN_JOB) {
          const linkId = String(job.data.linkId);
          const started = await options.onScheduledRun?.(linkId);
          if (started) options.logger?.info({ runId: started.id, linkId, jobId: job.id ?? null }, 'scheduled run started');
          else options.logger?.debug({ linkId, jobId: job.id ?? null }, 'scheduled run not started: link paused, gone or busy');
          return;
        }
        const data = planJobSchema.parse(job.data);
        const scope = jobScope(ctx, options.logger, { runId: data.runId, linkId: data.linkId, jobId: job.id });
        const started = performance.now();
        scope.log?.debug({ attempt: job.attemptsMade + 1 }, 'plan job started');
        try {
          const outcome = await processPlanJob(scope.ctx, data);
          if (outcome.kind === 'link_busy') {
            // Another run of the link plans or applies: wait for it, then plan against what it left.
            scope.log?.info({ holderRunId: outcome.holder?.id }, 'run waits: another run of its link holds the link');
            await job.moveToDelayed(Date.now() + (options.linkBusyRetryMs ?? 5000), token);
            throw new DelayedError();
          }
          const status = (await ctx.store.runs.get(data.runId))?.status ?? 'gone';
          const seconds = (performance.now() - started) / 1000;
          ctx.metrics?.recordPlan(status, seconds);
          scope.log?.info({ status, durationMs: Math.round(seconds * 1000) }, 'plan job done');
        } catch (error) {
          if (error instanceof DelayedError) throw error;
          const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
          ctx.metrics?.recordPlan('error', (performance.now() - started) / 1000);
          if (final) scope.log?.error({ err: error, attempt: job.attemptsMade + 1 }, 'plan job failed: the run fails');
          else scope.log?.warn({ err: error, attempt: job.attemptsMade + 1 }, 'plan job failed: it will be retried');
          // The last attempt failed: the run must not wait as `planned` for ever.
          if (final) await failUnplannedRun(scope.ctx, data.runId, error);
          throw error;
        }
      },
      { ...common, concurrency: options.planConcurrency ?? DEFAULT_PLAN_CONCURRENCY },
    );
    workers.push(planner);
  }
  for (const lane of options.lanes ?? []) {
    const limit = lane.rateLimit;
    const worker: Worker = new Worker(
      deliveryQueueName(lane.name),
      async (job, token) => {
        const data = deliveryJobSchema.parse(job.data);
        const scope = jobScope(ctx, options.logger, { runId: data.runId, linkId: data.linkId, jobId: job.id });
        await raiseLaneTurn(worker, job.priority);
        const failure = await processDelivery(scope.ctx, { ...data, attemptsMade: job.attemptsMade, maxAttempts: job.opts.attempts ?? 1 });
        // Delivery lag: from the job's enqueueing to the end of its delivery (waits and retries included).
        const lag = () => ctx.metrics?.recordDeliveryLag(lane.name, Math.max(0, (Date.now() - job.timestamp) / 1000));
        if (!failure) {
          lag();
          scope.log?.debug({ changeId: data.changeId, phase: data.phase }, 'delivery done');
          return;
        }
        if (failure.kind === 'rate_limited' && !failure.final) {
          // The limit is the school's token, not the lane: this job waits out the named wait (no
          // attempt burnt), the gate holds the token's other requests, other schools go on.
          scope.log?.debug({ changeId: data.changeId, waitMs: failure.waitMs }, 'delivery waits: the school\'s request limit');
          await job.moveToDelayed(Date.now() + failure.waitMs, token);
          throw new DelayedError();
        }
        const code = isEjsyncError(failure.error) ? failure.error.code : 'delivery.failed';
        if (failure.final) {
          lag();
          scope.log?.warn({ changeId: data.changeId, code, err: failure.error }, 'delivery failed: final');
          throw new UnrecoverableError((failure.error as Error)?.message ?? 'delivery failed');
        }
        scope.log?.info({ changeId: data.changeId, code, attempt: job.attemptsMade + 1 }, 'delivery failed: it will be retried');
        throw failure.error instanceof Error ? failure.error : new Error(String(failure.error));
      },
      { ...common, concurrency: options.concurrency ?? 8, limiter: { max: limit.max, duration: limit.durationMs } },
    );
    workers.push(worker);
  }
  // Connection trouble (Redis restarting) is reported once by the runtime's Redis watch; here it is only logged.
  for (const w of workers) w.on('error', (err) => options.logger?.debug({ err, queue: w.name }, 'queue worker error'));
  return workers;
}

/** Fails a run whose planning gave up, with the error's code and a finding that says so. */
async function failUnplannedRun(ctx: PipelineContext, runId: string, error: unknown): Promise<void> {
  const run = await ctx.store.runs.get(runId);
  if (!run || run.status !== 'planned') return;
  const code = isEjsyncError(error) ? error.code : 'delivery.plan_failed';
  await ctx.store.findings.add(runId, [makeFinding('delivery.plan_failed', { detail: isEjsyncError(error) ? `${error.code}: ${error.message}` : undefined })]);
  const failed = await ctx.store.runs.transition(runId, 'failed', { errorCode: code });
  ctx.logger?.info({ status: failed.status, errorCode: code }, 'run finished');
  await ctx.onRunFinished?.(failed);
}
