import os from 'node:os';
import { loadLinkFile } from '../config/link-config';
import { deliveryLaneOf } from '../queue/queue-names';
import type { CommandIo } from './command-runner';
import { requirePlatformToken } from './link-session';
import { openQueueSession } from './queue-session';
import { followRun } from './follow-run';

export interface SyncCommandOptions {
  link: string;
  json?: boolean;
  /** Give up waiting after this many minutes (the run goes on in the workers). @defaultValue 120 */
  timeoutMinutes?: number;
  /** Parallel deliveries of the in-process worker, when one is started. @defaultValue 8 */
  concurrency?: number;
  /**
   * Never start a worker in this process: the run waits for `ejsync worker` (a region whose
   * deliveries run only on its worker hosts). @defaultValue false
   */
  noLocalWorker?: boolean;
}

/**
 * `ejsync sync --link FILE`: registers the link, queues a run, and follows it to the end. When no
 * worker serves the queues, one is started in this process for the run (the demo does the same),
 * and again if the worker that served them goes away (another command's). While another run of
 * the link plans or applies, this one waits for it (one run per link) and says so. Redis going
 * away is told in Russian; the command keeps reconnecting.
 * Exit 0 when the run succeeded, 1 when it ended otherwise (held, partial, failed, cancelled).
 */
export async function runSyncCommand(opts: SyncCommandOptions, io: CommandIo): Promise<number> {
  const link = loadLinkFile(opts.link);
  const say = (line: string) => (opts.json ? io.stderr : io.stdout).write(`${line}\n`);
  const session = await openQueueSession(io, { concurrency: opts.concurrency, say });
  const { runtime } = session;
  try {
    await requirePlatformToken(runtime.ctx.store, link);
    const lane = deliveryLaneOf(link.target);
    if (opts.noLocalWorker) say('Запуск выполнят обработчики очереди (ejsync worker); в этом процессе обработчик не запускается.');
    else {
      await session.serve(lane);
      session.keepServing(lane);
    }
    const run = await runtime.startRun(link, 'person', `командная строка (${os.userInfo().username})`);
    say(`Запуск ${run.id} поставлен в очередь (связь ${link.id}).`);
    const finished = await followRun(runtime, run.id, io, { json: opts.json, say, timeoutMs: (opts.timeoutMinutes ?? 120) * 60_000 });
    return finished.status === 'succeeded' ? 0 : 1;
  } finally {
    await session.close();
  }
}
