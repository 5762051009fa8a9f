import { startOpsEndpoints } from './ops-endpoints';
import { installGracefulShutdown } from '../queue/graceful-shutdown';
import { openPipelineRuntime } from '../queue/pipeline-runtime';
import { checkSourcePaths } from '../queue/intake/link-source';
import { createRedisClient, describeRedisTarget, ensureRedisReady, redisTargetOf } from '../queue/redis-connection';
import { warnAboutEvictionPolicy } from '../queue/redis-eviction-check';
import { readEnvironment } from '../config/environment';
import { loadDnevnikPlatform } from '../config/platform-config';
import { dnevnikDeliveryLanes } from '../queue/dnevnik-connector-factory';
import { loadSedizhPlatform } from '../config/sedizh-config';
import { sedizhDeliveryLanes } from '../queue/sedizh-connector-factory';
import { onerosterDeliveryLanes } from '../queue/oneroster-connector-factory';
import { DEFAULT_PLAN_CONCURRENCY } from '../queue/run-pipeline/pipeline-workers';
import type { CommandIo } from './command-runner';
import { isEjsyncError } from '../model';
import { DEFAULT_WATCHDOG, type RunWatchdogOptions } from '../queue/watchdog/run-watchdog';

/** The worker's start-up line about the run watchdog, with the settings in force. */
function watchdogLine(configured: RunWatchdogOptions = {}): string {
  const set = Object.fromEntries(Object.entries(configured).filter(([, v]) => v !== undefined));
  const w = { ...DEFAULT_WATCHDOG, ...set };
  const s = (ms: number) => (ms % 1000 === 0 ? `${ms / 1000} с` : `${ms} мс`);
  return `  Сторож запусков: проверка каждые ${s(w.intervalMs)}; запуск без заданий в очереди дольше ${s(w.stallAfterMs)} ставится в очередь заново (до ${w.maxRecoveries} раз), затем завершается с ошибкой run.stalled.`;
}

export interface WorkerCommandOptions {
  /** Queues to serve: `plan`, a platform (`dnevnik`: all its installations), one lane (`dnevnik-mosreg`), `alerts`, `maintenance` (scheduled backups and purge). @defaultValue all */
  queues: string[];
  /** Parallel deliveries per platform in this process. @defaultValue 8 */
  concurrency: number;
  /**
   * Runs planned at once in this process: planning mostly waits on the platform's reads (its
   * request limit is per school), and each plan holds its school's data in memory. @defaultValue 4
   */
  planConcurrency?: number;
  /** Serve Prometheus metrics on this port (`/metrics`). */
  metricsPort?: number;
  /** Address the operator endpoints listen on (`0.0.0.0` for a scraper on another host). @defaultValue `127.0.0.1` */
  metricsHost?: string;
  /** Make the job schedulers (nightly runs of the registered links, the daily digest) match the configuration at start-up. @defaultValue true */
  schedules: boolean;
  /** Seconds in-flight jobs get to finish on SIGTERM/SIGINT. @defaultValue 25 */
  shutdownSeconds: number;
  /**
   * How long a job's lock lasts, ms: after a crashed process (kill -9, power loss) its jobs are
   * taken over once the lock has expired. Lower means faster recovery and more Redis traffic. @defaultValue 30000
   */
  lockDurationMs?: number;
  /** How often jobs of crashed processes are looked for, ms. @defaultValue 30000 */
  stalledIntervalMs?: number;
}

export const WORKER_QUEUES = ['plan', 'dnevnik', 'sedizh', 'oneroster', 'alerts', 'maintenance'] as const;

/**
 * `ejsync worker`: a long-running process serving the planning, delivery and alert queues. Any
 * number of them share one Redis and one database; the platform's rate limit holds across all.
 * Resolves when the process is asked to stop (the process exits from the shutdown handler).
 */
export async function runWorkerCommand(opts: WorkerCommandOptions, io: CommandIo): Promise<number> {
  const env = readEnvironment();
  const laneNames = [...dnevnikDeliveryLanes(loadDnevnikPlatform()), ...sedizhDeliveryLanes(loadSedizhPlatform()), ...onerosterDeliveryLanes()].map((l) => l.name);
  const unknown = opts.queues.filter((q) => !(WORKER_QUEUES as readonly string[]).includes(q) && !laneNames.includes(q));
  if (unknown.length) {
    io.stderr.write(`Неизвестные очереди: ${unknown.join(', ')}. Допустимо: ${[...WORKER_QUEUES, ...laneNames].join(', ')}\n`);
    return 2;
  }
  // Redis away at start or later: said once in Russian (the cause goes to the log), and the
  // worker keeps reconnecting and carries on when Redis is back.
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const probe = createRedisClient(redisTargetOf(env), 'worker', { lazyConnect: false });
  probe.on('error', () => undefined);
  try {
    await ensureRedisReady(probe, redisTargetOf(env)).catch(async (error: unknown) => {
      say(`${isEjsyncError(error) ? `[${error.code}] ` : ''}${(error as Error).message}. Жду, пока Redis станет доступен (повторяю подключение)…`);
      if (probe.status !== 'ready') await new Promise((resolve) => probe.once('ready', resolve));
      say('Соединение с Redis установлено.');
    });
    // BullMQ needs noeviction; said, never fatal (managed Redis may refuse CONFIG GET).
    const eviction = await warnAboutEvictionPolicy(probe);
    if (eviction) say(eviction);
  } finally {
    probe.disconnect();
  }
  const runtime = await openPipelineRuntime({ env, onRedisStatus: (line) => say(line) });
  const plan = opts.queues.includes('plan');
  const platforms = opts.queues.filter((q) => q === 'dnevnik' || q === 'sedizh' || q === 'oneroster');
  const lanes = opts.queues.filter((q) => laneNames.includes(q));
  if (plan && opts.schedules) {
    const { upserted, removed } = await runtime.syncSchedules();
    io.stdout.write(`Расписания связей: действует ${upserted.length}, снято ${removed.length}.\n`);
  }
  // A link with no export kept in the store is planned from its path: it must be readable here.
  if (plan) for (const p of await checkSourcePaths(runtime.ctx.store, runtime.logger)) say(`Внимание: выгрузка связи ${p.linkId} недоступна на этом узле (${p.path}); её запуски завершатся ошибкой. Загрузите выгрузку («ejsync upload --link ${p.linkId} ПУТЬ») или сделайте путь доступным (общая папка).`);
  if (opts.queues.includes('alerts') && opts.schedules) {
    const { digest } = await runtime.syncAlertSchedules();
    io.stdout.write(digest ? `Ежедневная сводка операторам: по расписанию «${digest.cron}» (${digest.timeZone}).\n` : 'Ежедневная сводка операторам не настроена (alerts.digest).\n');
  }
  const maintenance = opts.queues.includes('maintenance');
  if (maintenance && opts.schedules) {
    const { backup, purge } = await runtime.syncMaintenanceSchedules();
    say(backup ? `Резервные копии хранилища: по расписанию «${backup.cron}» (${backup.timeZone}).` : 'Резервные копии по расписанию не настроены (раздел backup в config.json).');
    say(purge ? `Очистка по сроку хранения: по расписанию «${purge.cron}» (${purge.timeZone}).` : 'Очистка по сроку хранения по расписанию не настроена (раздел purge в config.json).');
  }
  const workers = runtime.startWorkers({
    plan,
    platforms,
    lanes,
    concurrency: opts.concurrency,
    planConcurrency: opts.planConcurrency,
    alerts: opts.queues.includes('alerts'),
    maintenance,
    lockDurationMs: opts.lockDurationMs,
    stalledIntervalMs: opts.stalledIntervalMs,
  });
  // /metrics (with the depth of the queues this worker serves), /healthz and /readyz on the metrics port (docs/operations.md).
  const ops = opts.metricsPort ? await startOpsEndpoints(runtime, env, { port: opts.metricsPort, host: opts.metricsHost ?? '127.0.0.1', queues: workers.map((w) => w.name) }) : null;
  // A clean stop returns (the process ends when its handles close); a missed deadline exits at once.
  // Installed before the "started" line: whoever reads that line may stop the worker at once.
  const stopped = new Promise<number>((resolve) => {
    installGracefulShutdown([{ close: async () => { await ops?.close(); } }, runtime], {
      deadlineMs: opts.shutdownSeconds * 1000,
      onMessage: (line) => io.stdout.write(`${line}\n`),
      exit: (code) => (code === 0 ? resolve(0) : process.exit(code)),
    });
  });
  io.stdout.write(
    [
      `Обработчик ejsync запущен (процесс ${process.pid}).`,
      `  Очереди: ${opts.queues.join(', ')}; параллельных доставок: ${opts.concurrency}; планирований: ${opts.planConcurrency ?? DEFAULT_PLAN_CONCURRENCY}; заданий в работе у процесса: ${workers.length} очередей.`,
      `  Redis: ${describeRedisTarget(redisTargetOf(env))}; хранилище: ${env.databaseUrl ? 'PostgreSQL (DATABASE_URL)' : `PGlite в ${env.home}`}.`,
      ...(plan ? [watchdogLine(env.watchdog)] : []),
      ...(ops ? [`  Метрики Prometheus: http://${opts.metricsHost ?? '127.0.0.1'}:${opts.metricsPort}/metrics (и /healthz, /readyz)`] : []),
      '  Остановка: Ctrl+C или SIGTERM (текущие задания будут завершены).',
    ].join('\n') + '\n',
  );
  return stopped;
}
