import { emptySnapshot, ENTITY_ORDER, ENTITY_SCHEMAS, makeFinding, type EntityCollection, type Finding, type School, type Snapshot } from '../../model';
import type { ParsedPackage } from './parse-package';
import type { PackageMapping, PackageRecord } from './package-mapping';

/** A record the platform accepted that takes effect on a later day (the daily cut-off). */
export interface PendingRecord {
  entity: EntityCollection;
  id: string;
  extId?: string;
  effectiveFrom: string;
}

export interface PackageSnapshot {
  snapshot: Snapshot;
  findings: Finding[];
  /** Records accepted but not yet in effect: present for planning, reported as pending. */
  pending: PendingRecord[];
  /** Per entity: ejsync's stable id → the platform's id, for records the platform keeps it for. */
  byExtId: Map<EntityCollection, Map<string, string>>;
}

/**
 * The canonical Snapshot of a platform's export package (platform ids as `sourceId`, references
 * in platform ids). Every record passes the model's schema or becomes a coded finding; records
 * accepted but not yet in effect count as present (so the next plan does not send them again).
 */
export function snapshotFromPackage(parsed: ParsedPackage, school: School): PackageSnapshot {
  const snapshot = emptySnapshot(school);
  const findings: Finding[] = [];
  const pending: PendingRecord[] = [];
  const byExtId = new Map<EntityCollection, Map<string, string>>();
  for (const { record, problems } of parsed.records) {
    const sourceId = record.id ?? record.extId!;
    const where = { entity: record.entity, sourceId };
    if (problems.length) {
      for (const p of problems) findings.push(makeFinding(p.kind === 'unmapped' ? 'sedizh.value_unmapped' : 'sedizh.record_invalid', { ...where, detail: p.detail }));
      continue;
    }
    const checked = ENTITY_SCHEMAS[record.entity].safeParse({ sourceId, ...record.fields });
    if (!checked.success) {
      const issue = checked.error.issues[0];
      findings.push(makeFinding('sedizh.record_invalid', { ...where, field: issue?.path.join('.'), detail: `${issue?.path.join('.') || 'запись'}: ${issue?.message ?? 'не соответствует модели'}` }));
      continue;
    }
    (snapshot[record.entity] as unknown[]).push(checked.data);
    if (record.extId && record.id) {
      if (!byExtId.has(record.entity)) byExtId.set(record.entity, new Map());
      byExtId.get(record.entity)!.set(record.extId, record.id);
    }
    if (record.effectiveFrom && record.id) pending.push({ entity: record.entity, id: record.id, ...(record.extId ? { extId: record.extId } : {}), effectiveFrom: record.effectiveFrom });
  }
  return { snapshot, findings, pending, byExtId };
}

/** Every record of a Snapshot as package records (a full package: the complete state), in dependency order. */
export function recordsOfSnapshot(snapshot: Snapshot, mapping: PackageMapping): PackageRecord[] {
  const out: PackageRecord[] = [];
  for (const entity of ENTITY_ORDER) {
    if (!mapping.entities[entity]) continue;
    for (const rec of snapshot[entity] as { sourceId: string }[]) {
      const { sourceId, ...fields } = rec;
      out.push({ entity, action: 'create', extId: sourceId, fields });
    }
  }
  return out;
}

/** The canonical record a package record stands for (`sourceId` = platform id, else ejsync's id). */
export function canonicalOf(record: PackageRecord): Record<string, unknown> {
  return { sourceId: record.id ?? record.extId, ...record.fields };
}
