import type { EntityCollection } from '../model';

/** A record of any collection, seen as plain data. */
export type AnyRecord = Record<string, unknown> & { sourceId: string };

/**
 * Where a reference field points: one collection, a collection chosen by the record (a group is a
 * class or a subgroup by `groupKind`), or candidates tried in order (works and marks carry a
 * `groupId` without a kind: class first, then subgroup).
 */
export type ReferenceTarget = EntityCollection | readonly EntityCollection[] | ((record: AnyRecord) => EntityCollection);

export interface ReferenceField {
  field: string;
  target: ReferenceTarget;
}

const byGroupKind = (record: AnyRecord): EntityCollection => (record.groupKind === 'subgroup' ? 'subgroups' : 'classes');
const CLASS_OR_SUBGROUP = ['classes', 'subgroups'] as const;

/** Which fields of which collection hold ids of records of another collection. */
export const REFERENCE_FIELDS: Readonly<Record<EntityCollection, readonly ReferenceField[]>> = {
  academicYears: [],
  periods: [{ field: 'academicYearId', target: 'academicYears' }],
  holidays: [{ field: 'academicYearId', target: 'academicYears' }],
  subjects: [],
  staff: [],
  classes: [
    { field: 'academicYearId', target: 'academicYears' },
    { field: 'homeroomTeacherId', target: 'staff' },
  ],
  subgroups: [
    { field: 'classId', target: 'classes' },
    { field: 'subjectId', target: 'subjects' },
    { field: 'teacherId', target: 'staff' },
  ],
  pupils: [],
  guardians: [],
  guardianLinks: [
    { field: 'guardianId', target: 'guardians' },
    { field: 'pupilId', target: 'pupils' },
  ],
  memberships: [
    { field: 'pupilId', target: 'pupils' },
    { field: 'groupId', target: byGroupKind },
  ],
  bellSchedule: [],
  timetable: [
    { field: 'groupId', target: byGroupKind },
    { field: 'subjectId', target: 'subjects' },
    { field: 'teacherId', target: 'staff' },
  ],
  lessons: [
    { field: 'groupId', target: byGroupKind },
    { field: 'subjectId', target: 'subjects' },
    { field: 'teacherId', target: 'staff' },
    { field: 'substituteTeacherId', target: 'staff' },
    { field: 'timetableSlotId', target: 'timetable' },
  ],
  works: [
    { field: 'groupId', target: CLASS_OR_SUBGROUP },
    { field: 'subjectId', target: 'subjects' },
    { field: 'lessonId', target: 'lessons' },
  ],
  marks: [
    { field: 'pupilId', target: 'pupils' },
    { field: 'subjectId', target: 'subjects' },
    { field: 'groupId', target: CLASS_OR_SUBGROUP },
    { field: 'workId', target: 'works' },
    { field: 'lessonId', target: 'lessons' },
    { field: 'periodId', target: 'periods' },
    { field: 'teacherId', target: 'staff' },
  ],
  attendance: [
    { field: 'pupilId', target: 'pupils' },
    { field: 'lessonId', target: 'lessons' },
  ],
};

/** The collections a reference field of `record` may point to, in the order to try them. */
export function referenceCandidates(ref: ReferenceField, record: AnyRecord): readonly EntityCollection[] {
  const t = ref.target;
  if (typeof t === 'function') return [t(record)];
  return typeof t === 'string' ? [t] : t;
}

/** `(entity, id) → id on the other side`, or undefined when unknown there. */
export type IdLookup = (entity: EntityCollection, id: string) => string | undefined;

/** Resolves one reference of `record` through `lookup`: the entity it was found in and the id. */
export function resolveReference(
  ref: ReferenceField,
  record: AnyRecord,
  lookup: IdLookup,
): { entity: EntityCollection; id: string | undefined } | undefined {
  const value = record[ref.field];
  if (typeof value !== 'string' || value === '') return undefined;
  const candidates = referenceCandidates(ref, record);
  for (const entity of candidates) {
    const id = lookup(entity, value);
    if (id !== undefined) return { entity, id };
  }
  return { entity: candidates[0], id: undefined };
}

export interface MissingReference {
  field: string;
  entity: EntityCollection;
  sourceId: string;
}

/**
 * Copies `record` with every reference field translated through `lookup` (source ids → platform
 * ids at delivery time). Untranslatable references keep their value and are listed in `missing`;
 * the caller must not send such a record.
 */
export function translateReferences<R extends object>(
  entity: EntityCollection,
  record: R,
  lookup: IdLookup,
): { record: R; missing: MissingReference[] } {
  const refs = REFERENCE_FIELDS[entity];
  const out = { ...record } as R & AnyRecord;
  const missing: MissingReference[] = [];
  for (const ref of refs) {
    const resolved = resolveReference(ref, out, lookup);
    if (!resolved) continue;
    if (resolved.id === undefined) missing.push({ field: ref.field, entity: resolved.entity, sourceId: out[ref.field] as string });
    else (out as Record<string, unknown>)[ref.field] = resolved.id;
  }
  return { record: out, missing };
}
