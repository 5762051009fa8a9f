import type { RunRecord } from '../../store';

type PlanCounts = Record<string, Partial<Record<'create' | 'update' | 'archive' | 'unchanged' | 'manual' | 'findings' | 'matched', number>>>;
type DeliveredCounts = Record<string, Record<string, Record<string, number>>>;

/** How much a run planned and delivered, as its summary records it. */
export interface RunTotals {
  /** Creates, updates and archives planned. */
  planned: number;
  applied: number;
  failed: number;
  pending: number;
  manual: number;
}

export function planOf(run: RunRecord): PlanCounts {
  return ((run.summary as { plan?: PlanCounts }).plan ?? {}) as PlanCounts;
}

export function deliveredOf(run: RunRecord): DeliveredCounts {
  return ((run.summary as { delivered?: DeliveredCounts }).delivered ?? {}) as DeliveredCounts;
}

/** Totals from the run summary (the plan, and what finishing the run counted). */
export function runTotals(run: RunRecord): RunTotals {
  let planned = 0;
  let manual = 0;
  for (const c of Object.values(planOf(run))) {
    planned += (c.create ?? 0) + (c.update ?? 0) + (c.archive ?? 0);
    manual += c.manual ?? 0;
  }
  let applied = 0;
  let failed = 0;
  let pending = 0;
  for (const ops of Object.values(deliveredOf(run))) {
    for (const s of Object.values(ops)) {
      applied += s.applied ?? 0;
      failed += (s.failed ?? 0) + (s.skipped ?? 0);
      pending += s.pending ?? 0;
    }
  }
  if (run.kind === 'rollback') planned = Number((run.summary as { changes?: number }).changes ?? applied + failed + pending);
  return { planned, applied, failed, pending, manual };
}

/** Live counts of a run's staged changes by status. */
export function progressOf(rows: readonly { status: string; n: number }[]): { total: number; done: number; applied: number; failed: number; pending: number } {
  let applied = 0;
  let failed = 0;
  let pending = 0;
  for (const r of rows) {
    if (r.status === 'applied') applied += r.n;
    else if (r.status === 'pending') pending += r.n;
    else failed += r.n;
  }
  return { total: applied + failed + pending, done: applied + failed, applied, failed, pending };
}
