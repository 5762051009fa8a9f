import type { RunStatus, Store } from '../../store';
import type { DigestLinkState } from './daily-digest';

const FAILED: readonly RunStatus[] = ['failed', 'partial'];
/** Runs of a link looked at: enough for a day of retries and a long failure streak. */
const RECENT_RUNS = 100;

/** What the digest says of every registered link, over the period since `since`. */
export async function collectDigestStates(store: Store, since: Date): Promise<DigestLinkState[]> {
  const out: DigestLinkState[] = [];
  for (const link of await store.links.list()) {
    const runs = await store.runs.list({ linkId: link.id, limit: RECENT_RUNS });
    const [last] = runs;
    let consecutiveFailures = 0;
    for (const r of runs.filter((x) => x.kind === 'sync')) {
      if (!FAILED.includes(r.status)) break;
      consecutiveFailures++;
    }
    const failures = await store.deliveries.failuresByCode({ linkIds: [link.id], since });
    out.push({
      id: link.id,
      name: link.name,
      paused: link.paused,
      lastRun: last ? { id: last.id, status: last.status, errorCode: last.errorCode, at: last.finishedAt ?? last.startedAt ?? last.createdAt } : null,
      failedRuns: runs.filter((r) => FAILED.includes(r.status) && (r.finishedAt ?? r.createdAt) >= since).length,
      failedDeliveries: failures.reduce((n, f) => n + f.count, 0),
      heldRuns: runs.filter((r) => r.status === 'held').length,
      consecutiveFailures,
    });
  }
  return out;
}
