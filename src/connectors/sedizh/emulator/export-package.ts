import { ENTITY_ORDER, type EntityCollection } from '../../../model';
import { buildPackage, type PackageMapping, type PackageRecord } from '../../../mappers/sedizh';
import type { ExportQuery } from '../exchange-transport';
import type { SchoolState } from './emulator-state';

const DATED: Partial<Record<EntityCollection, true>> = { lessons: true, works: true, marks: true, attendance: true };

/**
 * The emulated platform's state as an export package (what ejsync reads back as the platform's
 * snapshot): every record with its platform id and, where kept, its ejsync id; dated records in
 * [from, to] (an absence by its lesson's day); a record accepted after the cut-off carries the
 * day it takes effect.
 */
export function exportPackage(school: SchoolState, query: ExportQuery, mapping: PackageMapping, options: { now: Date; today: string; sequence: number }): string {
  const lessons = school.of('lessons');
  const inWindow = (entity: EntityCollection, fields: Record<string, unknown>) => {
    if (!DATED[entity]) return true;
    const day = entity === 'attendance' ? (lessons.get(fields.lessonId as string)?.fields.date as string | undefined) : (fields.date as string | undefined);
    if (!day) return true;
    return (!query.from || day >= query.from) && (!query.to || day <= query.to);
  };
  const records: PackageRecord[] = [];
  for (const entity of ENTITY_ORDER) {
    if (!mapping.entities[entity] || (query.entity && query.entity !== entity)) continue;
    for (const rec of school.of(entity).values()) {
      if (query.id && rec.id !== query.id) continue;
      if (query.extId && rec.extId !== query.extId) continue;
      if (!inWindow(entity, rec.fields)) continue;
      records.push({ entity, action: 'create', id: rec.id, ...(rec.extId ? { extId: rec.extId } : {}), fields: rec.fields, ...(rec.effectiveFrom > options.today ? { effectiveFrom: rec.effectiveFrom } : {}) });
    }
  }
  return buildPackage(
    {
      packageId: `export-${options.sequence}`,
      kind: 'export',
      schoolId: school.schoolId,
      ...(query.from ? { periodFrom: query.from } : {}),
      ...(query.to ? { periodTo: query.to } : {}),
      generatedAt: options.now.toISOString(),
      sender: 'ejsync-emulator',
      sequence: options.sequence,
      records,
    },
    mapping,
  ).xml;
}
