import { can, ENTITY_LABELS, ENTITY_ORDER, makeFinding, type EntityCollection, type Finding, type Snapshot } from '../model';
import { ENTITY_FIELDS } from './entity-fields';
import type { PlanOptions } from './plan-types';
import { fieldLabel, HIDDEN_FIELDS } from './russian-labels';

const isEmpty = (v: unknown) => v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);

/**
 * What the source says that this platform cannot take, so that nothing vanishes silently: whole
 * collections the platform's API cannot read (`reconcile.not_deliverable`, e.g. the timetable) and,
 * per planned collection, the fields with values that are neither compared nor written
 * (`reconcile.field_not_deliverable`, e.g. lesson topics). Counts only, never values. Pure.
 */
export function reportUndeliverable(source: Snapshot, planned: readonly EntityCollection[], options: Pick<PlanOptions, 'capabilities' | 'comparableFields' | 'entities'>): Finding[] {
  const findings: Finding[] = [];
  const wanted = options.entities ? new Set(options.entities) : undefined;
  const plannedSet = new Set(planned);
  for (const entity of ENTITY_ORDER) {
    if (wanted && !wanted.has(entity)) continue;
    const records = source[entity] as unknown as Record<string, unknown>[];
    if (records.length === 0) continue;
    if (!plannedSet.has(entity)) {
      if (!can(options.capabilities, entity, 'read')) findings.push(makeFinding('reconcile.not_deliverable', { entity, detail: `${ENTITY_LABELS[entity]}: ${records.length}` }));
      continue;
    }
    const held = options.comparableFields?.[entity];
    if (!held) continue;
    const dropped = ENTITY_FIELDS[entity].filter((f) => !held.includes(f) && !HIDDEN_FIELDS.has(f));
    const parts: string[] = [];
    for (const f of dropped) {
      let n = 0;
      for (const r of records) if (!isEmpty(r[f])) n++;
      if (n > 0) parts.push(`${fieldLabel(entity, f)} — ${n}`);
    }
    if (parts.length) findings.push(makeFinding('reconcile.field_not_deliverable', { entity, detail: `${ENTITY_LABELS[entity]}: ${parts.join(', ')}` }));
  }
  return findings;
}
