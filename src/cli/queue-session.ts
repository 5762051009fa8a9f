import { createWriteStream, mkdirSync } from 'node:fs';
import path from 'node:path';
import { readEnvironment } from '../config/environment';
import { createLogger } from '../config/logger';
import { openPipelineRuntime, type PipelineRuntime } from '../queue/pipeline-runtime';
import type { CommandIo } from './command-runner';

/** How often a command that follows a run checks that some worker still serves its queues. */
const SERVED_CHECK_MS = 5000;

export interface QueueSession {
  runtime: PipelineRuntime;
  /** Where this command's log goes (`$EJSYNC_HOME/logs/ejsync.log`). */
  logFile: string;
  /**
   * Makes sure some worker serves the planning queue and the lane: starts what is missing in this
   * process (said once, in Russian). Returns true when this process serves something now.
   */
  serve(lane: string): Promise<boolean>;
  /** Keeps checking (every few seconds, in the background) that the queues stay served — another command's worker may go away. */
  keepServing(lane: string): void;
  close(): Promise<void>;
}

export interface QueueSessionOptions {
  /** Parallel deliveries of an in-process worker. @defaultValue 8 */
  concurrency?: number;
  /** Where Russian status lines go (stderr under `--json`). */
  say: (line: string) => void;
}

/**
 * The pipeline for a command a person runs (`sync`, `approve`, `retry`, `rollback`): the log goes
 * to a file, not the terminal; Redis going away and coming back is told once each, in Russian;
 * and when no `ejsync worker` serves the queues, a worker is started in this process.
 */
export async function openQueueSession(io: CommandIo, options: QueueSessionOptions): Promise<QueueSession> {
  const env = readEnvironment();
  const logFile = path.join(env.home, 'logs', 'ejsync.log');
  mkdirSync(path.dirname(logFile), { recursive: true });
  const logStream = createWriteStream(logFile, { flags: 'a' });
  const logger = createLogger({ name: 'ejsync.cli', level: env.logLevel, destination: logStream });
  const runtime = await openPipelineRuntime({
    env,
    logger,
    onRedisStatus: (line, state) => options.say(state === 'down' ? `${line} Подробности — в журнале ${logFile}.` : line),
  });
  let plan = false;
  let servedElsewhere = false;
  const lanes = new Set<string>();
  let timer: NodeJS.Timeout | null = null;
  let checking = false;
  const serve = async (lane: string) => {
    const counts = await runtime.workerCounts(lane);
    const needPlan = counts.plan === 0 && !plan;
    const needLane = counts.delivery === 0 && !lanes.has(lane);
    if (needPlan || needLane) {
      options.say(
        servedElsewhere
          ? 'Обработчик очереди, который вёл запуск (другая команда или ejsync worker), остановился — продолжаю обработку в этом процессе.'
          : 'Обработчики очереди не запущены (ejsync worker) — запускаю обработчик в этом процессе на время запуска.',
      );
      runtime.startWorkers({ plan: needPlan, platforms: [], lanes: needLane ? [lane] : [], concurrency: options.concurrency, alerts: false });
      if (needPlan) plan = true;
      if (needLane) lanes.add(lane);
    } else if (!plan && !lanes.size) {
      servedElsewhere = true;
    }
    return plan || lanes.size > 0;
  };
  return {
    runtime,
    logFile,
    serve,
    keepServing(lane) {
      timer ??= setInterval(() => {
        if (checking) return;
        checking = true;
        serve(lane)
          .catch((err: unknown) => logger.debug({ err }, 'could not check the queues are served'))
          .finally(() => (checking = false));
      }, SERVED_CHECK_MS);
    },
    async close() {
      if (timer) clearInterval(timer);
      await runtime.close();
      await new Promise((resolve) => logStream.end(resolve));
    },
  };
}
