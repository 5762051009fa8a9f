import type { LinkConfig } from '../../config/link-config';
import { ChangeContextBuilder, PEOPLE, schoolRoster } from '../../reconcile/change-context';
import { DATED_ENTITIES, type IdMatch, type ManualAction, type PlannedChange } from '../../reconcile';
import type { NewManualAction, Store } from '../../store';
import type { LinkPlan } from './plan-link';

type Planned = Extract<LinkPlan, { kind: 'planned' }>;

/** Collections whose manual actions concern one pupil, and the field naming them. */
const PUPIL_FIELD: Record<string, string> = { memberships: 'pupilId', guardianLinks: 'pupilId', marks: 'pupilId', attendance: 'pupilId' };

/** The pupil (МИС id) a manual action concerns, when it concerns one. */
function pupilOf(planned: Planned, a: ManualAction): string | undefined {
  if (a.entity === 'pupils') return a.sourceId;
  const field = PUPIL_FIELD[a.entity];
  if (!field) return undefined;
  const record = (planned.source[a.entity as 'memberships'] as unknown as Record<string, unknown>[]).find((r) => r.sourceId === a.sourceId);
  return typeof record?.[field] === 'string' ? (record[field] as string) : undefined;
}

/** Links of the school's people (МИС id ⇄ platform id): the id map's, and those this plan found. */
async function peopleMatches(store: Store, linkId: string, planned: Planned): Promise<IdMatch[]> {
  const out: IdMatch[] = planned.guarded.plan.matches.filter((m) => PEOPLE.has(m.entity));
  for (const entity of ['pupils', 'staff', 'guardians'] as const) {
    const ids = planned.source[entity].map((r) => r.sourceId);
    for (const [sourceId, targetId] of await store.idMap.targetIds(linkId, entity, ids)) out.push({ entity, sourceId, targetId, method: 'id_map' });
  }
  return out;
}

/** Contexts of a plan's changes (what each concerns in school terms, people by id): staged with them. */
export async function changeContexts(store: Store, linkId: string, planned: Planned): Promise<(change: PlannedChange) => unknown> {
  const builder = new ChangeContextBuilder(planned.source, planned.target, await peopleMatches(store, linkId, planned));
  return (c) => builder.of({ entity: c.entity, op: c.op, sourceId: c.sourceId, targetId: c.targetId, before: c.before, after: c.after, changedFields: c.changedFields });
}

/** A plan's manual actions as the store records them (with the pupil concerned). */
export function manualActionsOf(planned: Planned): NewManualAction[] {
  return planned.guarded.plan.manualActions.map((a) => ({
    actionId: a.id,
    entity: a.entity,
    op: a.op,
    sourceId: a.sourceId,
    ...(a.targetId ? { targetId: a.targetId } : {}),
    title: a.title,
    fields: a.fields,
    reason: a.reason,
    ...(pupilOf(planned, a) ? { pupilId: pupilOf(planned, a) } : {}),
  }));
}

/**
 * Records what a plan asks people to do and whom it concerns: the manual actions into the link's
 * worklist (checking off those this plan no longer needs — unless the export had errors, the
 * guard withheld them, or archives were deferred), and the school's roster (names sealed).
 */
export async function recordPlanPeople(store: Store, runId: string, link: LinkConfig, planned: Planned): Promise<void> {
  await store.manualActions.add(runId, manualActionsOf(planned));
  const { guarded } = planned;
  const sourceErrors = planned.sourceFindings.some((f) => f.severity === 'error');
  if (!sourceErrors) {
    const withheld = new Set(guarded.reasons.filter((r) => r.code === 'period.closed' && r.entity && r.sourceId).map((r) => `${r.entity}\u0000${r.sourceId}`));
    const inScope = planned.datedRead.inScope;
    await store.manualActions.checkOff(runId, {
      withheld,
      archivesDeferred: guarded.reasons.some((r) => r.code === 'guard.additions_only'),
      // Days not read this time say nothing about the actions on them.
      ...(inScope ? { partlyRead: { entities: DATED_ENTITIES, inScope } } : {}),
    });
  }
  await store.rosters.put(link.id, link.school.sourceId, planned.source.school.name, schoolRoster(planned.source, planned.target, await peopleMatches(store, link.id, planned)), runId);
}
