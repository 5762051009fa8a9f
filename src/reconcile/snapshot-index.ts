import { fullName, type EntityCollection, type Snapshot } from '../model';
import { REFERENCE_FIELDS, referenceCandidates, type AnyRecord } from './references';
import { formatPlainValue, fieldLabel, HIDDEN_FIELDS, russianDate, workTypeName, attendanceName, weekdayName } from './russian-labels';

/**
 * Records of one Snapshot by id, built lazily per collection, with Russian one-line descriptions
 * for reports ("5А", "Иванов Иван, 01.02.2015", "5А, Математика, 01.09.2026, 2-й урок").
 */
export class SnapshotIndex {
  private readonly byId = new Map<EntityCollection, Map<string, AnyRecord>>();
  private pupilClasses?: Map<string, string>;

  constructor(readonly snapshot: Snapshot) {}

  get(entity: EntityCollection, id: string): AnyRecord | undefined {
    let m = this.byId.get(entity);
    if (!m) {
      m = new Map();
      for (const r of this.snapshot[entity] as unknown as AnyRecord[]) m.set(r.sourceId, r);
      this.byId.set(entity, m);
    }
    return m.get(id);
  }

  /** The record of the first candidate collection that has `id`. */
  getAny(entities: readonly EntityCollection[], id: string): { entity: EntityCollection; record: AnyRecord } | undefined {
    for (const entity of entities) {
      const record = this.get(entity, id);
      if (record) return { entity, record };
    }
    return undefined;
  }

  /** Name of a class or subgroup: `5А` or `5А, Английский язык (1 группа)`. */
  groupName(id: unknown, kind?: unknown): string | undefined {
    if (typeof id !== 'string') return undefined;
    const order: EntityCollection[] = kind === 'subgroup' ? ['subgroups', 'classes'] : ['classes', 'subgroups'];
    const found = this.getAny(order, id);
    if (!found) return undefined;
    if (found.entity === 'classes') return String(found.record.name);
    const cls = this.get('classes', String(found.record.classId));
    return cls ? `${String(cls.name)}, ${String(found.record.name)}` : String(found.record.name);
  }

  /** The class a pupil is in now: the open membership, else the latest one. */
  classOfPupil(pupilId: string): string | undefined {
    if (!this.pupilClasses) {
      const best = new Map<string, { start: string; open: boolean; groupId: string }>();
      for (const m of this.snapshot.memberships) {
        if (m.groupKind !== 'class') continue;
        const cur = best.get(m.pupilId);
        const open = m.endDate == null;
        if (!cur || (open && !cur.open) || (open === cur.open && m.startDate > cur.start)) best.set(m.pupilId, { start: m.startDate, open, groupId: m.groupId });
      }
      this.pupilClasses = new Map();
      for (const [pupil, b] of best) {
        const name = this.groupName(b.groupId, 'class');
        if (name) this.pupilClasses.set(pupil, name);
      }
    }
    return this.pupilClasses.get(pupilId);
  }

  /** The group a record is journalled in (lessons, works, marks, timetable, memberships, attendance). */
  groupOf(entity: EntityCollection, record: AnyRecord): string | undefined {
    if (entity === 'attendance') {
      const lesson = this.get('lessons', String(record.lessonId));
      return lesson ? this.groupName(lesson.groupId, lesson.groupKind) : undefined;
    }
    if (entity === 'subgroups') return this.groupName(record.classId, 'class');
    if (entity === 'pupils') return this.classOfPupil(record.sourceId);
    return this.groupName(record.groupId, record.groupKind);
  }

  /** Russian one-line description of a record, or undefined when it is not in the snapshot. */
  describe(entity: EntityCollection, id: string): string | undefined {
    const r = this.get(entity, id);
    return r ? this.describeRecord(entity, r) : undefined;
  }

  describeRecord(entity: EntityCollection, r: AnyRecord): string {
    const ref = (e: EntityCollection, v: unknown) => (typeof v === 'string' ? (this.describe(e, v) ?? v) : '');
    const date = (v: unknown) => (typeof v === 'string' ? russianDate(v) : '');
    const join = (...parts: (string | undefined)[]) => parts.filter((p) => p !== undefined && p !== '').join(', ');
    switch (entity) {
      case 'pupils':
      case 'staff':
      case 'guardians':
        return join(fullName(r as unknown as { lastName: string; firstName: string; middleName?: string }), r.birthDate ? date(r.birthDate) : undefined);
      case 'subgroups':
        return this.groupName(r.sourceId, 'subgroup') ?? String(r.name);
      case 'guardianLinks':
        return `${ref('guardians', r.guardianId)} — ${ref('pupils', r.pupilId)}`;
      case 'memberships':
        return `${ref('pupils', r.pupilId)} — ${this.groupName(r.groupId, r.groupKind) ?? String(r.groupId)}`;
      case 'bellSchedule':
        return join(`${String(r.lessonNumber)}-й урок`, `${String(r.startTime)}–${String(r.endTime)}`);
      case 'timetable':
        return join(this.groupName(r.groupId, r.groupKind), weekdayName(Number(r.dayOfWeek)), `${String(r.lessonNumber)}-й урок`, ref('subjects', r.subjectId));
      case 'lessons':
        return join(this.groupName(r.groupId, r.groupKind), ref('subjects', r.subjectId), date(r.date), `${String(r.lessonNumber)}-й урок`);
      case 'works':
        return join(workTypeName(String(r.workType)) + (r.title ? ` «${String(r.title)}»` : ''), ref('subjects', r.subjectId), date(r.date));
      case 'marks':
        return join(`${ref('pupils', r.pupilId)}: ${String(r.value)}`, ref('subjects', r.subjectId), date(r.date));
      case 'attendance':
        return join(`${ref('pupils', r.pupilId)}: ${attendanceName(String(r.status))}`, ref('lessons', r.lessonId));
      default:
        return String(r.name ?? r.sourceId);
    }
  }

  /** One field of a record as a person would type it: references become names, dates Russian. */
  formatField(entity: EntityCollection, record: AnyRecord, field: string): string | undefined {
    const value = record[field];
    if (value === undefined || value === null || value === '') return undefined;
    const ref = REFERENCE_FIELDS[entity].find((r) => r.field === field);
    if (ref && typeof value === 'string') {
      const found = this.getAny(referenceCandidates(ref, record), value);
      if (!found) return value;
      if (found.entity === 'classes' || found.entity === 'subgroups') return this.groupName(value, found.entity === 'subgroups' ? 'subgroup' : 'class');
      return this.describeRecord(found.entity, found.record);
    }
    return formatPlainValue(entity, field, value);
  }

  /** Every shown field of a record, labelled in Russian. */
  fieldsOf(entity: EntityCollection, record: AnyRecord, fields: readonly string[] = Object.keys(record)): { label: string; value: string }[] {
    const out: { label: string; value: string }[] = [];
    for (const f of fields) {
      if (HIDDEN_FIELDS.has(f)) continue;
      const value = this.formatField(entity, record, f);
      if (value !== undefined) out.push({ label: fieldLabel(entity, f), value });
    }
    return out;
  }
}
