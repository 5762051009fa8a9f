import { makeFinding } from '../../model';
import type { RunRecord } from '../../store';
import type { PipelineContext } from './pipeline-context';

/**
 * A newer plan of a link makes its older held runs stale: they become `superseded` (and can no
 * longer be approved), each with a finding that names the run that replaced it. Returns them.
 */
export async function supersedeOlderHeldRuns(ctx: Pick<PipelineContext, 'store'>, newer: Pick<RunRecord, 'id' | 'linkId' | 'kind'>): Promise<RunRecord[]> {
  const superseded = await ctx.store.runs.supersedeHeld(newer);
  for (const old of superseded) await ctx.store.findings.add(old.id, [makeFinding('run.superseded', { severity: 'warning', detail: `новый план — запуск ${newer.id}` })]);
  return superseded;
}
