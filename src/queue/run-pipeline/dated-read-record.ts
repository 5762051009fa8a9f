import type { Store } from '../../store';
import { DATED_READ_CURSOR, DATED_READ_PENDING_CURSOR, type DatedReadOutcome } from './plan-link';

/** Keeps what this plan would leave the next run, tied to the run: it takes effect only if the run ends clean. */
export async function keepPendingDatedRead(store: Store, linkId: string, runId: string, outcome: DatedReadOutcome): Promise<void> {
  await store.cursors.advance(linkId, DATED_READ_PENDING_CURSOR, JSON.stringify(outcome.next), runId);
}

/**
 * A sync that ended clean leaves its dated read state to the next run (when its own plan was the
 * newest one kept). A rollback or a rollover changes the platform behind the states' back: the
 * next run reads everything.
 */
export async function settleDatedRead(store: Store, run: { id: string; linkId: string; kind: string }, status: string): Promise<void> {
  if (run.kind === 'sync') {
    if (status !== 'succeeded') return;
    const pending = await store.cursors.entry(run.linkId, DATED_READ_PENDING_CURSOR);
    if (pending?.runId === run.id) await store.cursors.advance(run.linkId, DATED_READ_CURSOR, pending.value, run.id);
    return;
  }
  await store.cursors.clear(run.linkId, DATED_READ_CURSOR);
}
