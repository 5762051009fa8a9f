import type { MatchedBy, NewStagedChange, Store } from '../../store';
import type { GuardResult } from '../../reconcile';
import type { changeContexts } from './record-plan-people';

/** Findings that stand for a change taken out of the plan until a person decides. */
const HELD_BACK_CODES: ReadonlySet<string> = new Set(['period.closed', 'dnevnik.mark_not_in_system']);

/** A guarded plan's changes as the store stages them, each with what it concerns. */
export function stagedChanges(guarded: GuardResult, contextOf: Awaited<ReturnType<typeof changeContexts>>): NewStagedChange[] {
  return guarded.plan.changes.map((c, seq) => ({
    changeId: c.id,
    seq,
    phase: c.phase,
    entity: c.entity,
    op: c.op,
    sourceId: c.sourceId,
    targetId: c.targetId ?? null,
    before: c.before,
    after: c.after,
    changedFields: c.changedFields ?? null,
    context: contextOf(c),
  }));
}

/** What a run's summary says of its plan: counts, what was withheld or held back, the decision. */
export function planSummary(guarded: GuardResult) {
  const kept = guarded.plan;
  return {
    plan: kept.counts,
    unmatchedTarget: kept.unmatchedTarget,
    withheld: guarded.withheld.length,
    // Changes in closed periods, or that the platform cannot hold (a mark outside its mark system),
    // wait for a person's decision: the run is not clean while they do.
    heldBack: [...guarded.reasons, ...kept.findings].filter((r) => HELD_BACK_CODES.has(r.code)).length,
    manualActions: kept.manualActions.length,
    decision: guarded.decision,
  };
}

/** Links the plan found by natural keys this time become id map entries. */
export async function saveNewMatches(store: Store, linkId: string, guarded: GuardResult): Promise<void> {
  await store.idMap.put(
    linkId,
    guarded.plan.matches.filter((m) => m.method !== 'id_map').map((m) => ({ entity: m.entity, sourceId: m.sourceId, targetId: m.targetId, matchedBy: m.method as MatchedBy })),
  );
}
