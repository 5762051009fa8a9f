import { deliveryLaneOf } from '../queue-names';
import { isEjsyncError, makeFinding } from '../../model';
import type { RunRecord } from '../../store';
import { enqueueNextPhase } from './enqueue-phase';
import { finishRunIfDone } from './finish-run';
import { loadLink, type PipelineContext } from './pipeline-context';
import { sourceTransformOf } from './rollover-run';
import { planLink, type LinkPlan } from './plan-link';
import { changeContexts, recordPlanPeople } from './record-plan-people';
import { refreshPersonDirectory } from '../refresh-person-directory';
import { replanApprovedRun } from './replan-approved';
import { supersedeOlderHeldRuns } from './supersede-held';
import { planSummary, saveNewMatches, stagedChanges } from './staged-plan';
import { datedReadSummary } from '../../reconcile';
import { keepPendingDatedRead } from './dated-read-record';


/** What became of a planning job: done, or the run waits because another run of its link holds the link. */
export type PlanJobOutcome = { kind: 'done' } | { kind: 'link_busy'; holder: RunRecord | null };

/**
 * Plans a run: reads the source and the platform, diffs them through the id map, guards the
 * plan, stages it in the store, and either holds the run for a human or starts delivering.
 * Safe to run twice for the same run (a retried job): it plans only a `planned` run, and for an
 * `applying` one makes sure its next phase is queued.
 *
 * One run per link: the run first claims its link in the store (atomic, see `RunsRepository.claimLink`)
 * and holds it while it plans and applies. While another run of the link holds it, nothing is
 * read or planned — a plan made while another run writes would be stale (it would create again
 * what that run creates) — and `link_busy` tells the worker to try again later; the run stays
 * `planned` (its summary names the run it waits for).
 */
export async function processPlanJob(ctx: PipelineContext, job: { runId: string; linkId: string }): Promise<PlanJobOutcome> {
  const { store } = ctx;
  const run = await store.runs.require(job.runId);
  if (run.status !== 'planned' && run.status !== 'approved' && run.status !== 'applying') return { kind: 'done' };
  const claim = await store.runs.claimLink(run.id);
  if (!claim.claimed) {
    if (!claim.holder) return { kind: 'done' }; // settled meanwhile
    if (run.summary.waitingFor !== claim.holder.id) await store.runs.update(run.id, { summary: { ...run.summary, waitingFor: claim.holder.id } });
    return { kind: 'link_busy', holder: claim.holder };
  }
  if (run.summary.waitingFor !== undefined) {
    const { waitingFor: _waited, ...summary } = run.summary;
    await store.runs.update(run.id, { summary });
    run.summary = summary;
  }
  await planHoldingLink(ctx, run, job.linkId);
  return { kind: 'done' };
}

/** Plans (or goes on applying) a run that holds its link. */
async function planHoldingLink(ctx: PipelineContext, run: RunRecord, linkId: string): Promise<void> {
  const { store } = ctx;
  const job = { runId: run.id, linkId };
  if (run.kind === 'rollback') return startStagedRun(ctx, run);
  if (run.status === 'applying') {
    // The process died between starting to apply and queueing the first phase: queue it now
    // (job ids are deterministic, so a phase already queued is not queued twice).
    const link = await loadLink(ctx, job.linkId);
    if ((await enqueueNextPhase(ctx, run.id, link.id, deliveryLaneOf(link.target))) === null) await finishRunIfDone(ctx, run.id);
    return;
  }
  // Approval plans again before anything is sent (the plan may have gone stale while held).
  if (run.status === 'approved') return replanApprovedRun(ctx, run);
  if (run.status !== 'planned') return;
  const link = await loadLink(ctx, job.linkId);
  let planned: LinkPlan;
  try {
    planned = await planLink(ctx, link, sourceTransformOf(run));
  } catch (error) {
    // Transient platform trouble: let the job retry (the run stays planned); otherwise fail the run.
    if (isEjsyncError(error) && error.retryable) throw error;
    await store.findings.add(run.id, [makeFinding('delivery.target_unreadable', { detail: isEjsyncError(error) ? error.code : undefined })]);
    await store.runs.transition(run.id, 'failed', { errorCode: isEjsyncError(error) ? error.code : 'delivery.target_unreadable' });
    await ctx.onRunFinished?.(await store.runs.require(run.id));
    return;
  }
  if (planned.kind === 'source_unreadable') {
    await store.findings.add(run.id, planned.sourceFindings);
    await store.runs.transition(run.id, 'failed', { errorCode: 'delivery.source_unreadable', summary: { sourceFindings: planned.sourceFindings.length, ...(planned.sourceExport ? { sourceExport: planned.sourceExport } : {}) } });
    await ctx.onRunFinished?.(await store.runs.require(run.id));
    return;
  }
  // What the run talked to is what the platform said of itself (an emulator announces itself).
  if (planned.environment !== run.environment) await store.runs.update(run.id, { environment: planned.environment });
  const { findings } = planned;
  // A rollover is always previewed: held for a person however small it is.
  const guarded =
    run.kind === 'rollover' && planned.guarded.decision !== 'refuse'
      ? { ...planned.guarded, held: true, decision: 'hold' as const, reasons: [...planned.guarded.reasons, makeFinding('run.rollover_needs_approval')] }
      : planned.guarded;
  if (guarded !== planned.guarded) findings.push(guarded.reasons[guarded.reasons.length - 1]);
  // Sign-in finds its candidates (staff, guardians) in the directory of the latest МИС read. A
  // directory that cannot be refreshed (e.g. another encryption key) must not stop the sync.
  try {
    await refreshPersonDirectory(store, link.school.sourceId, planned.source);
  } catch (error) {
    findings.push(makeFinding('delivery.directory_not_refreshed', { detail: isEjsyncError(error) ? error.code : undefined }));
  }
  const sourceErrors = planned.sourceFindings.filter((f) => f.severity === 'error');
  await store.findings.add(run.id, findings);
  await recordPlanPeople(store, run.id, link, planned);
  await saveNewMatches(store, link.id, guarded);
  await store.changes.stage(run.id, stagedChanges(guarded, await changeContexts(store, link.id, planned)));
  await keepPendingDatedRead(store, link.id, run.id, planned.datedRead);
  const summary = {
    ...planSummary(guarded),
    datedRead: datedReadSummary(planned.datedRead),
    sourceErrors: sourceErrors.length,
    ...(planned.sourceExport ? { sourceExport: planned.sourceExport } : {}),
    // A rollover's order and calendar: approval plans again from them.
    ...(run.summary.rollover ? { rollover: run.summary.rollover } : {}),
  };
  // This plan is the link's newest: older held runs are stale and can no longer be approved.
  if (guarded.decision !== 'refuse') await supersedeOlderHeldRuns(ctx, run);
  if (guarded.decision === 'refuse') {
    await store.runs.transition(run.id, 'cancelled', { summary, heldReasons: guarded.reasons, errorCode: guarded.reasons[0]?.code ?? null });
    await ctx.onRunFinished?.(await store.runs.require(run.id));
    return;
  }
  if (guarded.held) {
    const held = await store.runs.transition(run.id, 'held', { summary, heldReasons: guarded.reasons });
    await ctx.onRunHeld?.(held);
    return;
  }
  await store.runs.transition(run.id, 'applying', { summary });
  const phase = await enqueueNextPhase(ctx, run.id, link.id, deliveryLaneOf(link.target));
  if (phase === null) await finishRunIfDone(ctx, run.id);
}

/**
 * A run whose changes were staged when it was made (a rollback) starts applying once it holds
 * its link; nothing is planned for it.
 */
async function startStagedRun(ctx: PipelineContext, run: RunRecord): Promise<void> {
  const link = await loadLink(ctx, run.linkId);
  if (run.status === 'planned') await ctx.store.runs.transition(run.id, 'applying', { summary: { ...run.summary, ...(run.parentRunId ? { rollbackOf: run.parentRunId } : {}) } });
  else if (run.status !== 'applying') return;
  if ((await enqueueNextPhase(ctx, run.id, link.id, deliveryLaneOf(link.target))) === null) await finishRunIfDone(ctx, run.id);
}
