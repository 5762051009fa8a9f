import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { DEFAULT_PLAN_CONCURRENCY } from '../../queue/run-pipeline/pipeline-workers';
import { positiveIntUpTo } from '../option-parsers';
import { subcommand } from '../russian-help';
import { runWorkerCommand, WORKER_QUEUES } from '../worker-command';

const list = (value: string) => value.split(',').map((s) => s.trim()).filter(Boolean);

export function register(program: Command): void {
  subcommand(program, 'worker', 'запустить обработчик очередей (планирование, доставка на платформы, оповещения, резервные копии и очистка по расписанию)')
    .option('--queues <список>', `какие очереди обслуживать через запятую (${WORKER_QUEUES.join(', ')} или одна установка платформы, например dnevnik-mosreg)`, list, [...WORKER_QUEUES])
    .option('--concurrency <n>', 'параллельных доставок в этом процессе', positiveIntUpTo(256), 8)
    .option('--plan-concurrency <n>', 'сколько запусков планировать одновременно (каждый держит в памяти данные своей школы)', positiveIntUpTo(64), DEFAULT_PLAN_CONCURRENCY)
    .option('--metrics-port <порт>', 'отдавать метрики Prometheus (/metrics) и проверки (/healthz, /readyz) на этом порту', positiveIntUpTo(65535))
    .option('--metrics-host <адрес>', 'адрес для /metrics, /healthz, /readyz (0.0.0.0 — доступно с других машин)', '127.0.0.1')
    .option('--no-schedules', 'не обновлять расписания при старте (ночные запуски связей, ежедневная сводка, резервные копии и очистка)')
    .option('--shutdown-timeout <секунды>', 'сколько ждать завершения текущих заданий при остановке', positiveIntUpTo(3600), 25)
    .option('--lock-duration <мс>', 'срок блокировки задания: задания упавшего процесса подхватываются после его истечения', positiveIntUpTo(3_600_000), 30_000)
    .option('--stalled-interval <мс>', 'как часто искать задания упавших процессов', positiveIntUpTo(3_600_000), 30_000)
    .addHelpText('after', '\nОбработчиков может быть сколько угодно на разных машинах: общий Redis (REDIS_URL) и общая база (DATABASE_URL).\nОграничение частоты запросов к платформе действует на все обработчики вместе.')
    .action((opts: { queues: string[]; concurrency: number; planConcurrency: number; metricsPort?: number; metricsHost: string; schedules: boolean; shutdownTimeout: number; lockDuration: number; stalledInterval: number }) =>
      runCommand((io) =>
        runWorkerCommand(
          {
            queues: opts.queues,
            concurrency: opts.concurrency,
            planConcurrency: opts.planConcurrency,
            metricsPort: opts.metricsPort,
            metricsHost: opts.metricsHost,
            schedules: opts.schedules,
            shutdownSeconds: opts.shutdownTimeout,
            lockDurationMs: opts.lockDuration,
            stalledIntervalMs: opts.stalledInterval,
          },
          io,
        ),
      ),
    );
}
