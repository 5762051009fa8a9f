import os from 'node:os';
import { loadLinkFile } from '../config/link-config';
import { openPipelineRuntime } from '../queue/pipeline-runtime';
import { deliveryLaneOf } from '../queue/queue-names';
import type { CommandIo } from './command-runner';
import { requirePlatformToken } from './link-session';
import { runProgress } from './run-progress';
import { runJson, runShowText } from './run-report';

export interface SyncCommandOptions {
  link: string;
  json?: boolean;
  /** Give up waiting after this many minutes (the run goes on in the workers). @defaultValue 120 */
  timeoutMinutes?: number;
  /** Parallel deliveries of the in-process worker, when one is started. @defaultValue 8 */
  concurrency?: number;
}

/**
 * `ejsync sync --link FILE`: registers the link, queues a run, and follows it to the end. When no
 * worker serves the queues, one is started in this process for the run (the demo does the same).
 * Exit 0 when the run succeeded, 1 when it ended otherwise (held, partial, failed, cancelled).
 */
export async function runSyncCommand(opts: SyncCommandOptions, io: CommandIo): Promise<number> {
  const link = loadLinkFile(opts.link);
  const runtime = await openPipelineRuntime();
  try {
    await requirePlatformToken(runtime.ctx.store, link);
    const say = (line: string) => (opts.json ? io.stderr : io.stdout).write(`${line}\n`);
    const lane = deliveryLaneOf(link.target);
    const counts = await runtime.workerCounts(lane);
    if (counts.plan === 0 || counts.delivery === 0) {
      say('Обработчики очереди не запущены (ejsync worker) — запускаю обработчик в этом процессе на время запуска.');
      runtime.startWorkers({ plan: counts.plan === 0, platforms: [], lanes: counts.delivery === 0 ? [lane] : [], concurrency: opts.concurrency, alerts: false });
    }
    const run = await runtime.startRun(link, 'person', `командная строка (${os.userInfo().username})`);
    say(`Запуск ${run.id} поставлен в очередь (связь ${link.id}).`);
    const progress = runProgress(runtime.ctx.store, io);
    let finished;
    try {
      finished = await runtime.waitForRun(run.id, { timeoutMs: (opts.timeoutMinutes ?? 120) * 60_000, onProgress: (r) => progress.update(r) });
    } finally {
      progress.stop();
    }
    if (opts.json) io.stdout.write(`${JSON.stringify({ runs: [runJson(finished)] }, null, 2)}\n`);
    else io.stdout.write(`\n${await runShowText(runtime.ctx.store, finished)}`);
    return finished.status === 'succeeded' ? 0 : 1;
  } finally {
    await runtime.close();
  }
}
