import { ENTITY_SCHEMAS, type EntityCollection } from '../../../model';
import { buildReceipt, parsePackage, type PackageMapping, type ParsedRecord, type Receipt, type ReceiptRecord } from '../../../mappers/sedizh';
import { decodeXml } from '../package-encoding';
import { effectiveDayOf, type Cutoff } from './cutoff';
import type { EmulatorState, SchoolState } from './emulator-state';

/** What the emulated platform is told about the school and the clock. */
export interface ProcessOptions {
  mapping: PackageMapping;
  cutoff: Cutoff;
  /** The schools' zone (the cut-off is school-local). @defaultValue `Asia/Yekaterinburg` */
  timeZone?: string;
  now: Date;
}

type Target = EntityCollection | readonly EntityCollection[] | ((fields: Record<string, unknown>) => EntityCollection);
const byKind = (f: Record<string, unknown>): EntityCollection => (f.groupKind === 'subgroup' ? 'subgroups' : 'classes');
const GROUP = ['classes', 'subgroups'] as const;

/** Which fields point at which records: what the platform checks before it accepts a record. */
const REFERENCES: Partial<Record<EntityCollection, readonly [string, Target][]>> = {
  periods: [['academicYearId', 'academicYears']],
  holidays: [['academicYearId', 'academicYears']],
  classes: [['academicYearId', 'academicYears'], ['homeroomTeacherId', 'staff']],
  subgroups: [['classId', 'classes'], ['subjectId', 'subjects'], ['teacherId', 'staff']],
  guardianLinks: [['guardianId', 'guardians'], ['pupilId', 'pupils']],
  memberships: [['pupilId', 'pupils'], ['groupId', byKind]],
  timetable: [['groupId', byKind], ['subjectId', 'subjects'], ['teacherId', 'staff']],
  lessons: [['groupId', byKind], ['subjectId', 'subjects'], ['teacherId', 'staff'], ['substituteTeacherId', 'staff'], ['timetableSlotId', 'timetable']],
  works: [['groupId', GROUP], ['subjectId', 'subjects'], ['lessonId', 'lessons']],
  marks: [['pupilId', 'pupils'], ['subjectId', 'subjects'], ['groupId', GROUP], ['workId', 'works'], ['lessonId', 'lessons'], ['periodId', 'periods'], ['teacherId', 'staff']],
  attendance: [['pupilId', 'pupils'], ['lessonId', 'lessons']],
};

function unknownReference(school: SchoolState, entity: EntityCollection, fields: Record<string, unknown>): string | null {
  for (const [field, target] of REFERENCES[entity] ?? []) {
    const value = fields[field];
    if (typeof value !== 'string' || !value) continue;
    const candidates = typeof target === 'function' ? [target(fields)] : typeof target === 'string' ? [target] : target;
    if (!candidates.some((e) => school.of(e).has(value))) return `${field}: нет записи ${value}`;
  }
  return null;
}

/** The day a mark or an absence belongs to (an absence: its lesson's day). */
function dayOf(school: SchoolState, entity: EntityCollection, fields: Record<string, unknown>): string | null {
  if (entity === 'marks') return typeof fields.date === 'string' ? fields.date : null;
  if (entity === 'attendance' && typeof fields.lessonId === 'string') return (school.of('lessons').get(fields.lessonId)?.fields.date as string | undefined) ?? null;
  return null;
}

function inClosedPeriod(school: SchoolState, day: string | null): boolean {
  if (!day) return false;
  for (const p of school.of('periods').values()) if (p.fields.closed === true && (p.fields.startDate as string) <= day && day <= (p.fields.endDate as string)) return true;
  return false;
}

/** Applies one record, or says why not (the receipt line). */
function applyRecord(state: EmulatorState, school: SchoolState, packageId: string, parsed: ParsedRecord, recordName: string, effectiveFrom: string): ReceiptRecord {
  const { record, problems } = parsed;
  const base = { record: recordName, ...(record.extId ? { extId: record.extId } : {}) };
  const reject = (code: string, message: string): ReceiptRecord => ({ ...base, ...(record.id ? { id: record.id } : {}), status: 'rejected', code, message });
  if (problems.length) return reject(problems.some((p) => p.kind === 'unmapped') ? 'VALUE_INVALID' : 'RECORD_INVALID', problems.map((p) => p.detail).join('; '));
  const entity = record.entity;
  const table = school.of(entity);
  if (record.action === 'delete') {
    const id = record.id!;
    if (!table.has(id)) return school.deleted.get(entity)?.has(id) ? { ...base, id, status: 'accepted', effectiveFrom } : reject('NOT_FOUND', `нет записи ${id}`);
    if (inClosedPeriod(school, dayOf(school, entity, table.get(id)!.fields))) return reject('PERIOD_CLOSED', 'период закрыт');
    school.remove(entity, id);
    state.writes.push({ school: school.schoolId, packageId, entity, op: 'delete', id, ...(record.extId ? { extId: record.extId } : {}) });
    return { ...base, id, status: 'accepted', effectiveFrom };
  }
  // A create of a record the platform has by its ejsync id is that record (applied once, never twice).
  const existing = record.action === 'create' && record.extId ? school.idOfExt(entity, record.extId) : record.id;
  if (record.action === 'update' && (!existing || !table.has(existing))) return reject('NOT_FOUND', `нет записи ${record.id}`);
  const checked = ENTITY_SCHEMAS[entity].safeParse({ sourceId: existing ?? record.extId ?? 'new', ...record.fields });
  if (!checked.success) {
    const issue = checked.error.issues[0];
    return reject('RECORD_INVALID', `${issue?.path.join('.') || 'запись'}: ${issue?.message ?? 'не соответствует схеме'}`);
  }
  // A closed period refuses first: nothing in it may change, whatever else is wrong.
  if (inClosedPeriod(school, dayOf(school, entity, record.fields))) return reject('PERIOD_CLOSED', 'период закрыт');
  const missing = unknownReference(school, entity, record.fields);
  if (missing) return reject('REFERENCE_UNKNOWN', missing);
  const id = existing ?? state.newId();
  const before = table.get(id);
  const op = before ? 'update' : 'create';
  school.put(entity, { id, ...(record.extId ?? before?.extId ? { extId: record.extId ?? before?.extId } : {}), fields: { ...record.fields }, effectiveFrom });
  if (!(record.action === 'create' && before)) state.writes.push({ school: school.schoolId, packageId, entity, op, id, ...(record.extId ? { extId: record.extId } : {}) });
  return { ...base, id, status: 'accepted', effectiveFrom };
}

/**
 * The emulated platform's import of one package: decoded from the encoding it declares, validated
 * against the schema's rules (structure, hash, count, school) and the mapping, applied record by
 * record (references checked, closed periods refused, creates idempotent by ejsync id), answered
 * with a receipt naming each record. A package id is applied once: a second hand-over gets the
 * first receipt. `fileId` names the package when it cannot be read (the upload's file name).
 */
export function processPackage(state: EmulatorState, bytes: Buffer, fileId: string, options: ProcessOptions): { packageId: string; receipt: string; replay: boolean } {
  const text = decodeXml(bytes);
  const parsed = parsePackage(text, options.mapping, { strict: true });
  const packageId = parsed.header?.packageId || fileId;
  state.handovers.set(packageId, (state.handovers.get(packageId) ?? 0) + 1);
  const seen = state.receipts.get(packageId);
  if (seen) return { packageId, receipt: seen, replay: true };
  const processedAt = options.now.toISOString();
  const rejected = (code: string, message: string): Receipt => ({ packageId, status: 'rejected', processedAt, errors: [{ code, message }], records: [] });
  let receipt: Receipt;
  const problem = parsed.problems[0];
  if (problem) receipt = rejected(problem.kind === 'hash' ? 'HASH_MISMATCH' : 'SCHEMA_INVALID', parsed.problems.map((p) => p.detail).join('; '));
  else if (!parsed.header || parsed.header.kind === 'export') receipt = rejected('SCHEMA_INVALID', 'пакет выгрузки не принимается к загрузке');
  else {
    const school = state.school(parsed.header.schoolId);
    const { effectiveFrom } = effectiveDayOf(options.now, options.timeZone ?? 'Asia/Yekaterinburg', options.cutoff);
    const lines = parsed.records.map((r) => applyRecord(state, school, packageId, r, options.mapping.entities[r.record.entity]!.record, effectiveFrom));
    // A full package is the complete state of the sections it carries: what it leaves out goes.
    if (parsed.header.kind === 'full') {
      const kept = new Set(lines.filter((l) => l.status === 'accepted').map((l) => l.id));
      const sections = new Set(parsed.records.map((r) => r.record.entity));
      for (const entity of sections) for (const id of [...school.of(entity).keys()]) if (!kept.has(id)) {
        school.remove(entity, id);
        state.writes.push({ school: school.schoolId, packageId, entity, op: 'delete', id });
      }
    }
    const accepted = lines.filter((l) => l.status === 'accepted').length;
    receipt = { packageId, status: accepted === lines.length ? 'accepted' : accepted === 0 && lines.length > 0 ? 'rejected' : 'partial', processedAt, errors: [], records: lines };
  }
  const xml = buildReceipt(receipt, options.mapping.encoding);
  state.receipts.set(packageId, xml);
  return { packageId, receipt: xml, replay: false };
}
