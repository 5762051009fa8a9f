import { Queue, type Worker } from 'bullmq';
import { appConfigPath, loadAppConfig, type AppConfig } from '../config/app-config';
import { readEnvironment, storeOptionsOf, type Environment } from '../config/environment';
import type { LinkConfig } from '../config/link-config';
import { loadDnevnikPlatform, type DnevnikPlatformConfig } from '../config/platform-config';
import { readLinkSource } from './intake/link-source';
import { openStore, SecretBox, type RunRecord, type Store } from '../store';
import { dispatchRunAlerts, startAlertWorker } from './alerts/alert-dispatcher';
import { syncDigestSchedule } from './alerts/digest-schedule';
import type { DigestConfig } from '../config/alerts-config';
import { dnevnikConnectorFor, dnevnikDeliveryLanes, oauthClientFor, targetOf, tokenNameOf } from './dnevnik-connector-factory';
import { loadSedizhPlatform, type SedizhPlatformConfig } from '../config/sedizh-config';
import { sedizhConnectorFor, sedizhDeliveryLanes, sedizhTargetOf } from './sedizh-connector-factory';
import { onerosterConnectorFor, onerosterDeliveryLanes, onerosterTargetOf } from './oneroster-connector-factory';
import { bullConnection, releaseBullConnection, createRedisClient, redisTargetOf, type RedisClient } from './redis-connection';
import { RedisRequestGate } from './redis-request-gate';
import { syncLinkSchedules } from './link-schedules';
import { PipelineMetrics } from './metrics';
import { ALERT_QUEUE, deliveryLaneOf, deliveryQueueName, MAINTENANCE_QUEUE, PLAN_QUEUE } from './queue-names';
import { loadLink, type PipelineContext } from './run-pipeline/pipeline-context';
import { startPipelineWorkers } from './run-pipeline/pipeline-workers';
import { startRun, type StartRunOptions } from './run-pipeline/start-run';
import { createLogger, type Logger } from '../config/logger';
import { quietErrors, watchRedis, type RedisWatch } from './redis-watch';
import { startWatchdogWorker, type WatchdogWorker } from './watchdog/watchdog-worker';
import { startQueueTracing } from './tracing';
import type { RunWatchdogOptions } from './watchdog/run-watchdog';
import { startMaintenanceWorker, syncMaintenanceSchedules as syncMaintenance, type MaintenanceSchedules } from './maintenance/maintenance-jobs';

/** Statuses after which a run needs nothing more from a worker. */
export const SETTLED_RUN_STATUSES = ['succeeded', 'partial', 'failed', 'held', 'cancelled', 'discarded', 'rolled_back', 'superseded'] as const;
/** Statuses of a run still in the machine (a scheduled run does not start beside one). */
const ACTIVE_RUN_STATUSES = ['planned', 'approved', 'applying'];

export interface PipelineRuntimeOptions {
  /** @defaultValue `readEnvironment()` */
  env?: Environment;
  /** BullMQ key prefix. @defaultValue `env.queuePrefix` (`EJSYNC_QUEUE_PREFIX`, else `ejsync`) */
  prefix?: string;
  /** @defaultValue `loadDnevnikPlatform()` */
  platformConfig?: DnevnikPlatformConfig;
  /** @defaultValue `loadSedizhPlatform()` (validated at start-up) */
  sedizhConfig?: SedizhPlatformConfig;
  /** @defaultValue the installation's `config.json` */
  appConfig?: AppConfig;
  /** The pipeline's clock. @defaultValue `() => new Date()` */
  now?: () => Date;
  /** Where queue trouble, the watchdog and waiting runs are logged (ids only). @defaultValue a pino logger on standard error */
  logger?: Logger;
  /** Told in Russian when Redis goes away and comes back. @defaultValue nothing (the log only) */
  onRedisStatus?: (line: string, state: 'down' | 'up') => void;
}

export interface WorkerSet {
  /** Serve the planning queue (and scheduled runs). @defaultValue true */
  plan?: boolean;
  /** Platforms whose delivery lanes (every installation) to serve. @defaultValue `['dnevnik', 'sedizh', 'oneroster']` */
  platforms?: string[];
  /** Single lanes to serve besides (`dnevnik-mosreg`). @defaultValue none */
  lanes?: string[];
  /** Parallel deliveries per platform in this process. @defaultValue 8 */
  concurrency?: number;
  /** Runs planned at once in this process. @defaultValue 4 */
  planConcurrency?: number;
  /** Send queued alerts (webhook, e-mail). @defaultValue true */
  alerts?: boolean;
  /** How long a job's lock lasts before another worker may take the job over (a crashed process). @defaultValue 30000 */
  lockDurationMs?: number;
  /** How often stalled jobs (of crashed processes) are looked for. @defaultValue 30000 */
  stalledIntervalMs?: number;
  /**
   * Run the run watchdog in this process (with the planning worker): runs left with no live job
   * are queued again or failed with `run.stalled`. `false` leaves it to other processes.
   * @defaultValue on when `plan` is, with `env.watchdog` (`EJSYNC_WATCHDOG_*`) over `DEFAULT_WATCHDOG`
   */
  watchdog?: RunWatchdogOptions | false;
  /**
   * Serve the maintenance queue: scheduled backups (`backup` in config.json) and the retention
   * purge (`purge`). Only where the backup media are mounted. @defaultValue false
   */
  maintenance?: boolean;
}

/** The store, queues and pipeline of this installation, built from the environment. */
export interface PipelineRuntime {
  env: Environment;
  prefix: string;
  ctx: PipelineContext;
  platformConfig: DnevnikPlatformConfig;
  /** СЭДиЖ / ЭПОС platform file (validated at start-up). */
  sedizhConfig: SedizhPlatformConfig;
  metrics: PipelineMetrics;
  logger: Logger;
  /** This process's view of the queue's Redis (told in Russian through `onRedisStatus`). */
  redis: RedisWatch;
  /** Starts workers in this process; they are closed by `close()`. */
  startWorkers(set?: WorkerSet): Worker[];
  /** Workers (any process) currently connected to the planning queue and to a lane's delivery queue. */
  workerCounts(lane: string): Promise<{ plan: number; delivery: number }>;
  /** Makes the nightly job schedulers match the registered links (idempotent). */
  syncSchedules(): Promise<{ upserted: string[]; removed: string[] }>;
  /** Makes the daily digest's scheduler match the `alerts.digest` configuration (idempotent); returns the digest scheduled, if any. */
  syncAlertSchedules(): Promise<{ digest: DigestConfig | null }>;
  /** Makes the scheduled backup's and purge's schedulers match the `backup` and `purge` sections (idempotent). */
  syncMaintenanceSchedules(): Promise<MaintenanceSchedules>;
  /** Registers the link and queues a run of it. */
  startRun(link: LinkConfig, trigger: RunRecord['trigger'], triggeredBy?: string, extra?: Pick<StartRunOptions, 'kind' | 'summary'>): Promise<RunRecord>;
  /** Polls the store until the run settles (or the deadline passes: an error). */
  waitForRun(runId: string, options?: { timeoutMs?: number; onProgress?: (run: RunRecord) => void | Promise<void> }): Promise<RunRecord>;
  close(): Promise<void>;
}

/**
 * Opens the pipeline of this installation: store (`DATABASE_URL` or PGlite under `EJSYNC_HOME`),
 * queues on `REDIS_URL`, connectors from the link files registered in the store, alerts from the
 * installation's configuration. Used by `worker`, `sync` and `serve`.
 */
export async function openPipelineRuntime(options: PipelineRuntimeOptions = {}): Promise<PipelineRuntime> {
  const env = options.env ?? readEnvironment();
  const platformConfig = options.platformConfig ?? loadDnevnikPlatform();
  const sedizhConfig = options.sedizhConfig ?? loadSedizhPlatform();
  const appConfig = options.appConfig ?? loadAppConfig(appConfigPath(env.home));
  const prefix = options.prefix ?? env.queuePrefix;
  const store: Store = await openStore(storeOptionsOf(env));
  const logger = options.logger ?? createLogger({ name: 'ejsync.queue', level: env.logLevel });
  const redisTarget = redisTargetOf(env);
  // A cluster client is shared by every queue and worker here (BullMQ never closes it): closed in `close()`.
  const connection = bullConnection(redisTarget, 'worker');
  // Optional OpenTelemetry traces of the jobs this process adds and processes (EJSYNC_OTEL=1).
  const tracing = env.otel ? startQueueTracing() : null;
  const telemetry = tracing ? { telemetry: tracing.telemetry } : {};
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, quietErrors(new Queue(name, { connection, prefix, ...telemetry }), logger, `queue ${name}`));
    return queues.get(name)!;
  };
  const watchdogs: WatchdogWorker[] = [];
  // Set once this process has made the maintenance schedulers match its configuration.
  let maintenanceScheduled = false;
  const redis = watchRedis({
    url: env.redisUrl,
    clusterNodes: redisTarget.clusterNodes,
    logger,
    onStatus: options.onRedisStatus,
    // A Redis restarted without persistence forgot the schedulers: set the watchdog's up at once.
    onReconnect: () => {
      watchdogs.forEach((w) => void w.ensureScheduled());
      if (maintenanceScheduled) void syncMaintenance(queue(MAINTENANCE_QUEUE), appConfig).catch((err: unknown) => logger.debug({ err }, 'maintenance schedulers not put back yet'));
    },
  });
  const metrics = new PipelineMetrics();
  // The platform's limit is per token and holds across every process: requests take turns in Redis.
  let gateRedis: RedisClient | null = null;
  const gates = new Map<string, RedisRequestGate>();
  const gateOf = (link: LinkConfig) => {
    const key = `${prefix}:request-gate:${deliveryLaneOf(link.target)}:${tokenNameOf(link)}`;
    let gate = gates.get(key);
    if (!gate) {
      gateRedis ??= quietErrors(createRedisClient(redisTarget, 'worker'), logger, 'request gate');
      gate = new RedisRequestGate(gateRedis, key, { ...oauthClientFor(link, platformConfig).rateLimit, stepAsideCeilingMs: platformConfig.retry.stepAsideCeilingMs });
      gates.set(key, gate);
    }
    return gate;
  };
  const alerts = appConfig.alerts;
  const ctx: PipelineContext = {
    store,
    planQueue: queue(PLAN_QUEUE),
    deliveryQueue: (lane) => queue(deliveryQueueName(lane)),
    readSource: (link) => readLinkSource(store, link),
    connectorFor: async (link) =>
      link.target.platform === 'oneroster'
        ? onerosterConnectorFor(link, options.now)
        : link.target.platform === 'sedizh'
          ? sedizhConnectorFor(link, store, sedizhConfig, options.now)
          : dnevnikConnectorFor(link, store, platformConfig, Date.now(), gateOf(link)),
    now: options.now,
    metrics,
    retryPolicy: (lane) => (lane.startsWith('sedizh-') ? sedizhConfig.retry : platformConfig.retry),
    onRunFinished: async (run) => {
      metrics.recordRun(run.status, run.kind);
      if (alerts) await dispatchRunAlerts({ store, alertQueue: queue(ALERT_QUEUE), config: alerts, now: options.now }, run);
    },
    onRunHeld: async (run) => {
      if (alerts) await dispatchRunAlerts({ store, alertQueue: queue(ALERT_QUEUE), config: alerts, now: options.now }, run);
    },
  };
  const workers: Worker[] = [];

  const runtime: PipelineRuntime = {
    env,
    prefix,
    ctx,
    platformConfig,
    sedizhConfig,
    metrics,
    logger,
    redis,
    startWorkers(set = {}) {
      const platforms = set.platforms ?? ['dnevnik', 'sedizh', 'oneroster'];
      const lanes = [
        ...dnevnikDeliveryLanes(platformConfig).filter((l) => platforms.includes('dnevnik') || set.lanes?.includes(l.name)),
        ...sedizhDeliveryLanes(sedizhConfig).filter((l) => platforms.includes('sedizh') || set.lanes?.includes(l.name)),
        ...onerosterDeliveryLanes().filter((l) => platforms.includes('oneroster') || set.lanes?.includes(l.name)),
      ];
      const started = startPipelineWorkers(ctx, {
        connection,
        prefix,
        lanes,
        plan: set.plan ?? true,
        concurrency: set.concurrency,
        planConcurrency: set.planConcurrency,
        lockDurationMs: set.lockDurationMs,
        stalledIntervalMs: set.stalledIntervalMs,
        logger,
        ...telemetry,
        onScheduledRun: (linkId) => startScheduledRun(runtime, linkId),
      });
      if ((set.plan ?? true) && set.watchdog !== false) {
        const watchdog = startWatchdogWorker(ctx, { connection, prefix, logger, ...env.watchdog, ...stripUndefined(set.watchdog ?? {}) });
        watchdogs.push(watchdog);
        started.push(watchdog.worker);
      }
      if (alerts && (set.alerts ?? true)) started.push(startAlertWorker({ store, config: alerts, now: options.now, alertQueue: queue(ALERT_QUEUE) }, { connection, prefix }));
      if (set.maintenance && (appConfig.backup || appConfig.purge)) {
        // The archive key is read when a backup runs: a missing EJSYNC_SECRET_KEY fails that backup (alerted), not the worker.
        const secretBox = () => (env.secretKey ? SecretBox.fromString(env.secretKey) : SecretBox.fromEnvironment());
        started.push(startMaintenanceWorker({ store, backup: appConfig.backup, purge: appConfig.purge, alerts, alertQueue: alerts ? queue(ALERT_QUEUE) : undefined, secretBox, now: options.now, logger }, { connection, prefix }));
      }
      workers.push(...started);
      return started;
    },
    async workerCounts(lane) {
      const [plan, delivery] = await Promise.all([queue(PLAN_QUEUE).getWorkersCount(), queue(deliveryQueueName(lane)).getWorkersCount()]);
      return { plan, delivery };
    },
    async syncSchedules() {
      const links = await store.links.list();
      return syncLinkSchedules(
        queue(PLAN_QUEUE),
        links.map((l) => {
          const config = l.config as LinkConfig;
          return { id: l.id, cron: config.schedule.cron, timeZone: config.school.timeZone, active: !l.paused && config.schedule.enabled };
        }),
      );
    },
    async syncAlertSchedules() {
      const digest = alerts?.digest ?? null;
      await syncDigestSchedule(queue(ALERT_QUEUE), digest ?? undefined);
      return { digest };
    },
    async syncMaintenanceSchedules() {
      const schedules = await syncMaintenance(queue(MAINTENANCE_QUEUE), appConfig);
      // Put back on every reconnect too: a Redis restarted without persistence forgot them.
      maintenanceScheduled = true;
      return schedules;
    },
    async startRun(link, trigger, triggeredBy, extra) {
      if (link.target.platform === 'oneroster') {
        const bundles = onerosterTargetOf(link);
        return startRun(ctx, link, { ...extra, trigger, triggeredBy, environment: bundles.environment, targetUrl: bundles.address });
      }
      if (link.target.platform === 'sedizh') {
        const exchange = sedizhTargetOf(link, sedizhConfig);
        return startRun(ctx, link, { ...extra, trigger, triggeredBy, environment: exchange.environment, targetUrl: exchange.address });
      }
      const target = targetOf(link, platformConfig);
      return startRun(ctx, link, { ...extra, trigger, triggeredBy, environment: target.environment, targetUrl: target.apiBase });
    },
    async waitForRun(runId, waitOptions = {}) {
      const deadline = Date.now() + (waitOptions.timeoutMs ?? 60 * 60_000);
      for (;;) {
        const run = await store.runs.require(runId);
        await waitOptions.onProgress?.(run);
        if ((SETTLED_RUN_STATUSES as readonly string[]).includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`запуск ${runId} не завершился вовремя (состояние: ${run.status}); он продолжится в обработчике — смотрите «ejsync run show ${runId}»`);
        await new Promise((r) => setTimeout(r, 250));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await Promise.all(watchdogs.map((w) => w.close()));
      for (const q of queues.values()) await q.close();
      gateRedis?.disconnect();
      releaseBullConnection(connection);
      redis.close();
      await store.close();
      await tracing?.shutdown().catch((err: unknown) => logger.debug({ err }, 'traces not sent at close'));
    },
  };
  return runtime;
}

/**
 * A scheduler fired for a link: start its nightly run unless the link is paused, gone, or still
 * has a run in progress (a retried scheduler job must not start a second one).
 */
export async function startScheduledRun(runtime: Pick<PipelineRuntime, 'ctx' | 'startRun'>, linkId: string): Promise<RunRecord | null> {
  const record = await runtime.ctx.store.links.get(linkId);
  if (!record || record.paused) return null;
  const [latest] = await runtime.ctx.store.runs.list({ linkId, limit: 1 });
  if (latest && ACTIVE_RUN_STATUSES.includes(latest.status)) return null;
  return runtime.startRun(await loadLink(runtime.ctx, linkId), 'schedule');
}

function stripUndefined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}
