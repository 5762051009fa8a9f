import type { EntityCollection, Snapshot } from '../../../../src/model';
import { idMapFromEntries, translateReferences, type AnyRecord, type IdMapEntry, type Plan } from '../../../../src/reconcile';

/**
 * What a perfect platform would do with a plan: creates get new ids (recorded in the id map),
 * updates overwrite, archives remove. References are translated at "delivery", in plan order;
 * a reference that cannot be translated then is a bug in the plan's order.
 */
export function applyPlan(target: Snapshot, plan: Plan, entries: IdMapEntry[]): { target: Snapshot; entries: IdMapEntry[] } {
  const next = structuredClone(target);
  const map = new Map<string, IdMapEntry>();
  const k = (entity: EntityCollection, sourceId: string) => `${entity}\u0001${sourceId}`;
  for (const e of [...entries, ...plan.matches]) map.set(k(e.entity, e.sourceId), { entity: e.entity, sourceId: e.sourceId, targetId: e.targetId });
  const lookup = (entity: EntityCollection, id: string) => map.get(k(entity, id))?.targetId;
  let counter = 0;
  for (const change of plan.changes) {
    const list = next[change.entity] as unknown as AnyRecord[];
    if (change.op === 'archive') {
      const i = list.findIndex((x) => x.sourceId === change.targetId);
      if (i < 0) throw new Error(`archive of a missing record ${change.id}`);
      list.splice(i, 1);
      continue;
    }
    const { record, missing } = translateReferences(change.entity, change.after!, lookup);
    if (missing.length) throw new Error(`${change.id}: untranslatable ${JSON.stringify(missing)}`);
    if (change.op === 'create') {
      const id = `N${++counter}`;
      list.push({ ...(record as AnyRecord), sourceId: id });
      map.set(k(change.entity, change.sourceId), { entity: change.entity, sourceId: change.sourceId, targetId: id });
    } else {
      const i = list.findIndex((x) => x.sourceId === change.targetId);
      if (i < 0) throw new Error(`update of a missing record ${change.id}`);
      list[i] = { ...(record as AnyRecord), sourceId: change.targetId! };
    }
  }
  return { target: next, entries: [...map.values()] };
}

export { idMapFromEntries };
