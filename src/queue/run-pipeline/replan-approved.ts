import { deliveryLaneOf } from '../queue-names';
import { isEjsyncError, makeFinding, type Finding } from '../../model';
import type { RunRecord } from '../../store';
import { enqueueNextPhase } from './enqueue-phase';
import { finishRunIfDone } from './finish-run';
import { loadLink, type PipelineContext } from './pipeline-context';
import { describePlanDifference, planDifference } from './plan-difference';
import { planLink, type LinkPlan } from './plan-link';
import { sourceTransformOf } from './rollover-run';
import { changeContexts, recordPlanPeople } from './record-plan-people';
import { planSummary, saveNewMatches, stagedChanges } from './staged-plan';
import { datedReadSummary } from '../../reconcile';
import { keepPendingDatedRead } from './dated-read-record';

/**
 * An approved run is planned again against the МИС export and the platform as they are now
 * before anything is sent: a person approved what they saw, so only that is applied. The same
 * plan → `applying`. Another plan → not applied: the new plan is staged and the run is `held`
 * again with a `run.plan_changed` finding saying what changed, for a new decision. A plan the
 * guard now refuses → `cancelled`. When the export or the platform cannot be read, the run waits
 * `held` again with the reason (nothing sent).
 */
export async function replanApprovedRun(ctx: PipelineContext, run: RunRecord): Promise<void> {
  const { store } = ctx;
  const link = await loadLink(ctx, run.linkId);
  let planned: LinkPlan;
  try {
    planned = await planLink(ctx, link, sourceTransformOf(run));
  } catch (error) {
    const reason = makeFinding('delivery.target_unreadable', { detail: isEjsyncError(error) ? `${error.code}: план не пересчитан при одобрении` : 'план не пересчитан при одобрении' });
    await store.findings.add(run.id, [reason]);
    await backToHeld(ctx, run, [reason], run.summary);
    return;
  }
  if (planned.kind === 'source_unreadable') {
    const reason = makeFinding('delivery.source_unreadable', { detail: 'план не пересчитан при одобрении' });
    await store.findings.add(run.id, [...planned.sourceFindings, reason]);
    await backToHeld(ctx, run, [reason], run.summary);
    return;
  }
  const { guarded } = planned;
  const fresh = stagedChanges(guarded, await changeContexts(store, link.id, planned));
  const summary = { ...run.summary, ...planSummary(guarded), datedRead: datedReadSummary(planned.datedRead), ...(planned.sourceExport ? { sourceExport: planned.sourceExport } : {}) };
  if (guarded.decision === 'refuse') {
    await store.findings.add(run.id, guarded.reasons);
    await store.runs.transition(run.id, 'cancelled', { summary, heldReasons: guarded.reasons, errorCode: guarded.reasons[0]?.code ?? null });
    await ctx.onRunFinished?.(await store.runs.require(run.id));
    return;
  }
  await saveNewMatches(store, link.id, guarded);
  await keepPendingDatedRead(store, link.id, run.id, planned.datedRead);
  const difference = planDifference(await store.changes.list(run.id), fresh);
  if (difference) {
    await store.changes.replacePlan(run.id, fresh);
    await recordPlanPeople(store, run.id, link, planned);
    const changed = makeFinding('run.plan_changed', { detail: describePlanDifference(difference) });
    await store.findings.add(run.id, [changed]);
    await backToHeld(ctx, run, [changed, ...guarded.reasons], { ...summary, replanned: { added: difference.added.length, removed: difference.removed.length, changed: difference.changed.length } });
    return;
  }
  await store.runs.transition(run.id, 'applying', { summary });
  const phase = await enqueueNextPhase(ctx, run.id, link.id, deliveryLaneOf(link.target));
  if (phase === null) await finishRunIfDone(ctx, run.id);
}

async function backToHeld(ctx: PipelineContext, run: RunRecord, reasons: Finding[], summary: Record<string, unknown>): Promise<void> {
  const held = await ctx.store.runs.transition(run.id, 'held', { summary, heldReasons: reasons });
  await ctx.onRunHeld?.(held);
}
