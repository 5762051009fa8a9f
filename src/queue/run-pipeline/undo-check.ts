import type { ChangeOp, ComparisonRules, EntityCollection } from '../../model';
import { differingFields, type AnyRecord } from '../../reconcile';

/** How a platform's records are compared (the connector's `comparableFields` and `comparison`). */
export interface UndoCheckRules {
  comparableFields?: Partial<Record<EntityCollection, readonly string[]>>;
  comparison?: ComparisonRules;
}

/**
 * What is wrong with an undo as the platform shows the record when read back after it, in Russian
 * for the rollback's report, or null when it holds: an undone create (`archive`) must be gone; an
 * undone update or archive (`update`, `create`) must be there with the before-value in every field
 * the platform holds (a field the platform fills itself only when the before-value has one; a
 * fallback field standing in for an empty one, as the planner compares them).
 */
export function undoMismatch(change: { entity: EntityCollection; op: ChangeOp; after?: unknown }, found: Record<string, unknown> | null, rules: UndoCheckRules): string | null {
  if (change.op === 'archive') return found === null ? null : 'запись осталась на платформе';
  if (found === null) return 'записи нет на платформе';
  const expected = { ...(change.after as Record<string, unknown>) };
  for (const [field, fallback] of Object.entries(rules.comparison?.fallbacks?.[change.entity] ?? {})) {
    if (expected[field] === undefined || expected[field] === null || expected[field] === '') expected[field] = expected[fallback];
  }
  const fills = rules.comparison?.platformFills?.[change.entity] ?? [];
  const fields = (rules.comparableFields?.[change.entity] ?? Object.keys(expected).filter((f) => f !== 'sourceId')).filter((f) => !(fills.includes(f) && expected[f] === undefined));
  const differing = differingFields(expected as AnyRecord, found as AnyRecord, fields);
  return differing.length ? `на платформе другое значение: ${differing.join(', ')}` : null;
}
