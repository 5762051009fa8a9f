import { retryFailed } from '../../queue/run-pipeline/run-actions';
import type { Actor } from '../../store';
import { canActOnSchool, type Principal } from '../auth/roles';
import { visibleLinks } from '../access/visible';
import type { DashboardBackend } from '../dashboard-backend';

/** Runs of schools the person may act on that have undelivered changes of a code. */
export async function runsToRetryForCode(backend: DashboardBackend, p: Principal, code: string): Promise<string[]> {
  const links = (await visibleLinks(backend.store, p)).filter((l) => canActOnSchool(p, l.schoolId));
  return backend.queries.runsWithOpenCode(code, links.map((l) => l.id));
}

/**
 * Re-queues the undelivered changes of one error code in every run the person may act on (one
 * audited retry per run). Runs that cannot go back to applying right now are skipped.
 */
export async function retryCodeEverywhere(backend: DashboardBackend, p: Principal, actor: Actor, code: string): Promise<{ runs: number; requeued: number; skipped: number }> {
  let runs = 0;
  let requeued = 0;
  let skipped = 0;
  for (const runId of await runsToRetryForCode(backend, p, code)) {
    try {
      const r = await retryFailed(backend.ctx, runId, actor, { code });
      if (r.requeued) runs++;
      requeued += r.requeued;
    } catch {
      skipped++;
    }
  }
  return { runs, requeued, skipped };
}
