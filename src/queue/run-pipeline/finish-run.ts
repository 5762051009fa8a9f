import type { RunRecord } from '../../store';
import type { PipelineContext } from './pipeline-context';
import { settleDatedRead } from './dated-read-record';

type Ctx = Pick<PipelineContext, 'store' | 'deliveryQueue' | 'now' | 'onRunFinished' | 'metrics' | 'logger'>;

/** Per entity and operation: how many changes were applied, failed, skipped or are pending. */
export async function changeCounts(ctx: Ctx, runId: string): Promise<Record<string, Record<string, Record<string, number>>>> {
  const out: Record<string, Record<string, Record<string, number>>> = {};
  for (const row of await ctx.store.changes.counts(runId)) {
    ((out[row.entity] ??= {})[row.op] ??= {})[row.status] = row.n;
  }
  return out;
}

/**
 * Ends an applying run once nothing is pending: `succeeded` when every change applied,
 * `partial` when some failed or changes in closed periods were held back for a decision, `failed`
 * when none applied. The transition is conditional, so
 * two workers finishing the last deliveries at once end the run once. The "last clean run"
 * cursor advances only on a clean run.
 */
export async function finishRunIfDone(ctx: Ctx, runId: string): Promise<RunRecord | null> {
  if ((await ctx.store.changes.lowestPendingPhase(runId)) !== null) return null;
  const counts = await changeCounts(ctx, runId);
  let applied = 0;
  let failed = 0;
  for (const ops of Object.values(counts)) for (const statuses of Object.values(ops)) {
    applied += statuses.applied ?? 0;
    failed += (statuses.failed ?? 0) + (statuses.skipped ?? 0);
  }
  const current = await ctx.store.runs.require(runId);
  // Changes held back in closed periods need a decision: such a run is not reported clean.
  const heldBack = Number((current.summary as { heldBack?: unknown }).heldBack ?? 0);
  const status = failed === 0 ? (heldBack > 0 ? 'partial' : 'succeeded') : applied === 0 ? 'failed' : 'partial';
  if (current.status !== 'applying') return null;
  // What follows from a clean end is written first, so that whoever sees the run succeeded also
  // sees it: a rollback's original run rolled back (a second worker's try is refused), a sync's
  // "last clean run" cursor.
  if (status === 'succeeded' && current.kind === 'rollback' && current.parentRunId) {
    await ctx.store.runs.transition(current.parentRunId, 'rolled_back').catch(() => undefined);
  }
  if (status === 'succeeded' && current.kind === 'sync') await ctx.store.cursors.advance(current.linkId, 'last_clean_run', (ctx.now?.() ?? new Date()).toISOString(), current.id);
  await settleDatedRead(ctx.store, current, status);
  let run: RunRecord;
  try {
    run = await ctx.store.runs.transition(runId, status, { summary: { ...current.summary, delivered: counts }, errorCode: failed ? 'delivery.failed' : heldBack > 0 ? 'period.closed' : null });
  } catch {
    return null; // another worker finished it first
  }
  ctx.logger?.info({ status: run.status, applied, failed, heldBack }, 'run finished');
  await ctx.onRunFinished?.(run);
  return run;
}
