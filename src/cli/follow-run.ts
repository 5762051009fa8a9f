import type { PipelineRuntime } from '../queue/pipeline-runtime';
import type { RunRecord } from '../store';
import type { CommandIo } from './command-runner';
import { runProgress } from './run-progress';
import { runJson, runShowText } from './run-report';

export interface FollowRunOptions {
  /** Print the settled run as JSON instead of the Russian report. @defaultValue false */
  json?: boolean;
  /** Russian status lines (stderr under `--json`). */
  say: (line: string) => void;
  /** Give up waiting after this long (the run goes on in the workers). @defaultValue 2 hours */
  timeoutMs?: number;
}

/**
 * Follows a run to its end with the progress bar, says once when it waits for another run of
 * its link, and prints the report (`--json`: the run as JSON). Returns the settled run.
 */
export async function followRun(runtime: PipelineRuntime, runId: string, io: CommandIo, options: FollowRunOptions): Promise<RunRecord> {
  const progress = runProgress(runtime.ctx.store, io);
  let toldWaiting: unknown = null;
  let finished: RunRecord;
  try {
    finished = await runtime.waitForRun(runId, {
      timeoutMs: options.timeoutMs ?? 120 * 60_000,
      onProgress: async (r) => {
        const waitingFor = r.summary.waitingFor;
        if (r.status === 'planned' && waitingFor && waitingFor !== toldWaiting) {
          toldWaiting = waitingFor;
          options.say(`Связь сейчас синхронизирует запуск ${String(waitingFor)}: этот запуск ждёт его завершения (одновременно по одной связи применяется один запуск) и начнётся сам.`);
        }
        await progress.update(r);
      },
    });
  } finally {
    progress.stop();
  }
  if (options.json) io.stdout.write(`${JSON.stringify({ runs: [runJson(finished)] }, null, 2)}\n`);
  else io.stdout.write(`\n${await runShowText(runtime.ctx.store, finished)}`);
  return finished;
}
