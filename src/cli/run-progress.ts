import { SingleBar } from 'cli-progress';
import { RUN_STATUS_LABELS, type RunRecord, type Store } from '../store';
import type { CommandIo } from './command-runner';

export interface RunProgress {
  /** Called with the run at each poll. */
  update(run: RunRecord): Promise<void>;
  stop(): void;
}

/** Deliveries of a run by outcome, from its staged changes. */
export async function deliveryProgress(store: Store, runId: string): Promise<{ total: number; done: number; failed: number }> {
  let total = 0;
  let done = 0;
  let failed = 0;
  for (const row of await store.changes.counts(runId)) {
    total += row.n;
    if (row.status !== 'pending') done += row.n;
    if (row.status === 'failed') failed += row.n;
  }
  return { total, done, failed };
}

/**
 * Shows how a run goes: a live bar of deliveries on a terminal (stderr), or a line per status
 * change otherwise (logs of cron jobs stay short).
 */
export function runProgress(store: Store, io: CommandIo): RunProgress {
  const stream = io.stderr as NodeJS.WriteStream;
  const tty = stream.isTTY === true;
  let bar: SingleBar | null = null;
  let lastStatus = '';
  return {
    async update(run) {
      if (run.status !== lastStatus) {
        if (bar) {
          bar.stop();
          bar = null;
        }
        lastStatus = run.status;
        stream.write(`Запуск ${run.id}: ${RUN_STATUS_LABELS[run.status]}\n`);
      }
      if (run.status !== 'applying' || !tty) return;
      const p = await deliveryProgress(store, run.id);
      if (!bar) {
        bar = new SingleBar({ stream, format: '  доставка [{bar}] {value}/{total} ({percentage}%), ошибок: {failed}, записей на платформу: {writes}', hideCursor: true, clearOnComplete: false });
        bar.start(p.total, p.done, { failed: p.failed, writes: run.writes });
      } else {
        bar.setTotal(p.total);
        bar.update(p.done, { failed: p.failed, writes: run.writes });
      }
    },
    stop() {
      bar?.stop();
      bar = null;
    },
  };
}
