import { fullName, type EntityCollection, type Snapshot } from '../model';
import type { IdMatch } from './match-entities';
import { REFERENCE_FIELDS, referenceCandidates, type AnyRecord } from './references';
import { fieldLabel, HIDDEN_FIELDS, workTypeName } from './russian-labels';
import { SnapshotIndex } from './snapshot-index';

/** Collections whose records are people. */
export const PEOPLE: ReadonlySet<EntityCollection> = new Set(['pupils', 'staff', 'guardians']);

/** Fields of a person record that name or identify the person. */
export const PERSON_FIELDS: ReadonlySet<string> = new Set(['lastName', 'firstName', 'middleName', 'birthDate', 'snils', 'esiaOid', 'email', 'phone']);

export type PersonEntity = 'pupils' | 'staff' | 'guardians';

/** A person by id: names are resolved on display, for those allowed to read them. */
export interface PersonRef {
  entity: PersonEntity;
  /** Id in the МИС. */
  sourceId?: string;
  /** Id on the platform (records read from it), when the МИС id is not known. */
  targetId?: string;
}

/**
 * A field value in school terms: text, a person (by id), or `own` — a personal field of the
 * record itself (a pupil's surname), read from the change's sealed record on display.
 */
export type ContextValue = string | { person: PersonRef } | { own: string };

export interface ContextField {
  field: string;
  /** Russian label. */
  label: string;
  before?: ContextValue;
  after?: ContextValue;
}

/**
 * What one change concerns, as a school administrator reads it — «Иванов Пётр, 5А: отметка «5»,
 * Математика, 09.11.2026, контрольная работа» — with every person by id only, so it can be kept
 * in the store without personal data.
 */
export interface ChangeContext {
  /** The person the record is about: the pupil of a mark, an absence, an enrolment; the person itself. */
  person?: PersonRef;
  /** МИС id of the pupil concerned (also when read from the platform): the per-pupil view finds changes by it. */
  pupilId?: string;
  /** `5А` or `5А, Английский язык (1 группа)`. */
  group?: string;
  subject?: string;
  /** ISO date of the mark, lesson, work. */
  date?: string;
  /** The work of a mark: `контрольная работа «Дроби»`. */
  work?: string;
  /** `2-й урок`. */
  lesson?: string;
  /** Description of the record for records without people (a class, a subject, a lesson). */
  record?: string;
  fields: ContextField[];
}

/** Fields shown in the context's headline rather than as a field of creates and archives. */
const HEADLINE_FIELDS = new Set(['pupilId', 'groupId', 'groupKind', 'subjectId', 'lessonId', 'workId', 'date']);

const PERSON_OF: Partial<Record<EntityCollection, string>> = { marks: 'pupilId', attendance: 'pupilId', memberships: 'pupilId', guardianLinks: 'pupilId' };

export interface ChangeContextInput {
  entity: EntityCollection;
  op: 'create' | 'update' | 'archive';
  sourceId: string;
  targetId?: string;
  /** Platform record (platform ids). */
  before?: unknown;
  /** Source record (source ids). */
  after?: unknown;
  changedFields?: readonly string[];
}

/**
 * Builds the contexts of a plan's changes: the source snapshot describes what the МИС has, the
 * platform's describes what is there now; platform ids of people are mapped back to МИС ids by
 * the plan's matches.
 */
export class ChangeContextBuilder {
  private readonly source: SnapshotIndex;
  private readonly target: SnapshotIndex;
  private readonly sourceOfTarget = new Map<string, Map<string, string>>();

  constructor(source: Snapshot, target: Snapshot, matches: readonly IdMatch[]) {
    this.source = new SnapshotIndex(source);
    this.target = new SnapshotIndex(target);
    for (const m of matches) {
      let byTarget = this.sourceOfTarget.get(m.entity);
      if (!byTarget) this.sourceOfTarget.set(m.entity, (byTarget = new Map()));
      byTarget.set(m.targetId, m.sourceId);
    }
  }

  private personRef(entity: PersonEntity, id: string, onPlatform: boolean): PersonRef {
    if (!onPlatform) return { entity, sourceId: id };
    const sourceId = this.sourceOfTarget.get(entity)?.get(id);
    return sourceId ? { entity, sourceId, targetId: id } : { entity, targetId: id };
  }

  /** The value of a field of a record as a person reads it (people by id). */
  private value(entity: EntityCollection, record: AnyRecord, field: string, onPlatform: boolean): ContextValue | undefined {
    const raw = record[field];
    if (raw === undefined || raw === null || raw === '') return undefined;
    if (PEOPLE.has(entity) && PERSON_FIELDS.has(field)) return { own: field };
    const ref = REFERENCE_FIELDS[entity].find((r) => r.field === field);
    if (ref && typeof raw === 'string') {
      const person = referenceCandidates(ref, record).find((e) => PEOPLE.has(e)) as PersonEntity | undefined;
      if (person) return { person: this.personRef(person, raw, onPlatform) };
    }
    return (onPlatform ? this.target : this.source).formatField(entity, record, field);
  }

  of(change: ChangeContextInput): ChangeContext {
    const onPlatform = change.after === undefined;
    const record = (change.after ?? change.before) as AnyRecord | undefined;
    const index = onPlatform ? this.target : this.source;
    const ctx: ChangeContext = { fields: [] };
    if (!record) return ctx;
    const entity = change.entity;
    if (PEOPLE.has(entity)) {
      ctx.person = onPlatform ? this.personRef(entity as PersonEntity, change.targetId ?? record.sourceId, true) : { entity: entity as PersonEntity, sourceId: change.sourceId };
      if (onPlatform && !ctx.person.sourceId && change.sourceId) ctx.person = { ...ctx.person, sourceId: change.sourceId };
      if (entity === 'pupils') ctx.pupilId = ctx.person.sourceId;
    }
    const personField = PERSON_OF[entity];
    if (personField && typeof record[personField] === 'string') {
      ctx.person = this.personRef('pupils', record[personField] as string, onPlatform);
      ctx.pupilId = ctx.person.sourceId;
    }
    const group = index.groupOf(entity, record);
    if (group) ctx.group = group;
    const lesson = entity === 'attendance' ? index.get('lessons', String(record.lessonId)) : typeof record.lessonId === 'string' ? index.get('lessons', record.lessonId) : undefined;
    const subjectId = typeof record.subjectId === 'string' ? record.subjectId : lesson?.subjectId;
    if (typeof subjectId === 'string') {
      const subject = index.get('subjects', subjectId);
      if (subject) ctx.subject = String(subject.name);
    }
    const date = typeof record.date === 'string' ? record.date : typeof lesson?.date === 'string' ? lesson.date : undefined;
    if (date && entity !== 'periods' && entity !== 'holidays') ctx.date = date;
    if (lesson && typeof lesson.lessonNumber === 'number') ctx.lesson = `${lesson.lessonNumber}-й урок`;
    if (typeof record.workId === 'string') {
      const work = index.get('works', record.workId);
      if (work) ctx.work = workTypeName(String(work.workType)) + (work.title ? ` «${String(work.title)}»` : '');
    } else if (entity === 'works') {
      ctx.work = workTypeName(String(record.workType)) + (record.title ? ` «${String(record.title)}»` : '');
    }
    if (!ctx.person && !PEOPLE.has(entity)) ctx.record = index.describeRecord(entity, record);

    const fields =
      change.op === 'update'
        ? (change.changedFields ?? [])
        : Object.keys(record).filter((f) => !HIDDEN_FIELDS.has(f) && !(HEADLINE_FIELDS.has(f) && entity !== 'memberships'));
    for (const f of fields) {
      if (HIDDEN_FIELDS.has(f)) continue;
      const field: ContextField = { field: f, label: fieldLabel(entity, f) };
      if (change.before !== undefined) {
        const v = this.value(entity, change.before as AnyRecord, f, true);
        if (v !== undefined) field.before = v;
      }
      if (change.after !== undefined) {
        const v = this.value(entity, change.after as AnyRecord, f, false);
        if (v !== undefined) field.after = v;
      }
      if (field.before !== undefined || field.after !== undefined) ctx.fields.push(field);
    }
    return ctx;
  }
}

/** A pupil as the dashboard shows one. */
export interface RosterPupil {
  name: string;
  birthDate?: string;
  classId?: string;
  className?: string;
  grade?: number;
  /** Classes and groups the pupil is in — in the МИС, on the platform, or both ("why no marks?"). */
  memberships?: RosterMembership[];
}

/**
 * One class or group of a pupil, compared by name across the two sides: the МИС membership (dates,
 * order) and whether the platform lists the pupil in a group of that name. `platform` is null when
 * the platform was not read or the pupil is not matched there.
 */
export interface RosterMembership {
  group: string;
  kind: 'class' | 'subgroup';
  mis: { from: string; to?: string; order?: string } | null;
  platform: boolean | null;
}

/** A group's name as both sides may spell it: `5 А` and `5а` are one. */
const groupKey = (name: string) => name.toLocaleLowerCase('ru-RU').replace(/ё/g, 'е').replace(/\s+/g, '');

/** The pupils' memberships of the МИС next to the platform's (see `RosterMembership`). */
function rosterMemberships(source: Snapshot, target: Snapshot | undefined, targetOf: ReadonlyMap<string, string>): Map<string, RosterMembership[]> {
  const misIndex = new SnapshotIndex(source);
  const onPlatform = new Map<string, Map<string, { group: string; kind: 'class' | 'subgroup' }>>();
  if (target) {
    const targetIndex = new SnapshotIndex(target);
    for (const m of target.memberships) {
      if (m.endDate != null || m.ended) continue;
      const group = targetIndex.groupName(m.groupId, m.groupKind);
      if (!group) continue;
      const groups = onPlatform.get(m.pupilId) ?? new Map();
      groups.set(groupKey(group), { group, kind: m.groupKind });
      onPlatform.set(m.pupilId, groups);
    }
  }
  const out = new Map<string, RosterMembership[]>();
  for (const m of source.memberships) {
    const group = misIndex.groupName(m.groupId, m.groupKind) ?? m.groupId;
    const platformId = targetOf.get(m.pupilId);
    const list = out.get(m.pupilId) ?? [];
    list.push({
      group,
      kind: m.groupKind,
      mis: { from: m.startDate, ...(m.endDate ? { to: m.endDate } : {}), ...(m.orderNumber ? { order: m.orderNumber } : {}) },
      platform: target && platformId ? (onPlatform.get(platformId)?.has(groupKey(group)) ?? false) : null,
    });
    out.set(m.pupilId, list);
  }
  // What only the platform lists: the pupil is in a group there the МИС does not have them in.
  for (const [sourceId, targetId] of targetOf) {
    const list = out.get(sourceId) ?? [];
    const known = new Set(list.map((x) => groupKey(x.group)));
    for (const [key, g] of onPlatform.get(targetId) ?? []) if (!known.has(key)) list.push({ group: g.group, kind: g.kind, mis: null, platform: true });
    if (list.length) out.set(sourceId, list);
  }
  for (const list of out.values()) list.sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'class' ? -1 : 1) || (b.mis?.from ?? '').localeCompare(a.mis?.from ?? '') || a.group.localeCompare(b.group, 'ru'));
  return out;
}

/**
 * The school's people by id, with classes: what the store keeps sealed (one per link) so that the
 * dashboard can show names to those allowed to read them. `platform` maps platform ids of people
 * to МИС ids (or to the platform's name when unmatched).
 */
/** Marks counted in the МИС and in the journal (as the platform was read). */
export interface MarkCount {
  mis: number;
  journal: number;
}

/** Kinds of final marks (a period's, the year's, exams, the final one). */
export const FINAL_MARK_KINDS: readonly string[] = ['quarter', 'half_year', 'year', 'exam', 'final'];

/**
 * Counts for the reports the regulations ask of the adapter: current marks per month by class and
 * subject and per pupil, final marks by class, subject and kind — in the МИС and in the journal.
 * Classes and subjects by name (the two sides' ids differ), pupils by МИС id.
 */
export interface RosterCounts {
  /** Dates of the journal the platform was read for (its lessons): counts outside say nothing of the journal. */
  journalFrom: string | null;
  journalTo: string | null;
  /** `YYYY-MM` → class → subject → counts of current marks. */
  marksByMonth: Record<string, Record<string, Record<string, MarkCount>>>;
  /** `YYYY-MM` → pupil (МИС id) → counts of current marks. */
  pupilMarksByMonth: Record<string, Record<string, MarkCount>>;
  /** Class → subject → kind → counts of final marks. */
  finalMarks: Record<string, Record<string, Record<string, MarkCount>>>;
}

export interface SchoolRoster {
  schoolName: string;
  counts?: RosterCounts;
  pupils: Record<string, RosterPupil>;
  staff: Record<string, { name: string; position?: string }>;
  guardians: Record<string, { name: string }>;
  classes: Record<string, { name: string; grade?: number }>;
  subjects: Record<string, string>;
  platform: Record<string, { entity: PersonEntity; sourceId?: string; name?: string }>;
}

/** The roster of a school from the МИС snapshot and the platform's (people matched by the plan). */
export function schoolRoster(source: Snapshot, target: Snapshot | undefined, matches: readonly IdMatch[]): SchoolRoster {
  const index = new SnapshotIndex(source);
  const classOf = new Map<string, string>();
  const best = new Map<string, { start: string; open: boolean }>();
  for (const m of source.memberships) {
    if (m.groupKind !== 'class') continue;
    const cur = best.get(m.pupilId);
    const open = m.endDate == null;
    if (!cur || (open && !cur.open) || (open === cur.open && m.startDate > cur.start)) {
      best.set(m.pupilId, { start: m.startDate, open });
      classOf.set(m.pupilId, m.groupId);
    }
  }
  const roster: SchoolRoster = { schoolName: source.school.name, pupils: {}, staff: {}, guardians: {}, classes: {}, subjects: {}, platform: {} };
  for (const c of source.classes) roster.classes[c.sourceId] = { name: c.name, grade: c.grade };
  for (const s of source.subjects) roster.subjects[s.sourceId] = s.name;
  for (const p of source.pupils) {
    const classId = classOf.get(p.sourceId);
    const cls = classId ? source.classes.find((c) => c.sourceId === classId) : undefined;
    roster.pupils[p.sourceId] = {
      name: fullName(p),
      ...(p.birthDate ? { birthDate: p.birthDate } : {}),
      ...(classId ? { classId } : {}),
      ...(cls ? { className: index.groupName(classId, 'class') ?? cls.name, grade: cls.grade } : {}),
    };
  }
  const targetOf = new Map<string, string>();
  for (const m of matches) if (m.entity === 'pupils') targetOf.set(m.sourceId, m.targetId);
  for (const [pupilId, memberships] of rosterMemberships(source, target, targetOf)) if (roster.pupils[pupilId]) roster.pupils[pupilId].memberships = memberships;
  for (const s of source.staff) roster.staff[s.sourceId] = { name: fullName(s), ...(s.position ? { position: s.position } : {}) };
  for (const g of source.guardians) roster.guardians[g.sourceId] = { name: fullName(g) };
  const matched = new Map<string, string>();
  for (const m of matches) if (PEOPLE.has(m.entity)) matched.set(`${m.entity}\u0000${m.targetId}`, m.sourceId);
  for (const entity of ['pupils', 'staff', 'guardians'] as const) {
    for (const r of target?.[entity] ?? []) {
      const sourceId = matched.get(`${entity}\u0000${r.sourceId}`);
      roster.platform[r.sourceId] = sourceId ? { entity, sourceId } : { entity, name: fullName(r) };
    }
  }
  roster.counts = rosterCounts(source, target, matched);
  return roster;
}

function bump<T extends Record<string, unknown>>(o: T, keys: string[], side: keyof MarkCount): void {
  let node = o as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = (node[k] ??= {}) as Record<string, unknown>;
  const last = keys[keys.length - 1];
  const c = (node[last] ??= { mis: 0, journal: 0 }) as MarkCount;
  c[side]++;
}

/** The counts of marks on both sides (see `RosterCounts`). */
function rosterCounts(source: Snapshot, target: Snapshot | undefined, matched: ReadonlyMap<string, string>): RosterCounts {
  const counts: RosterCounts = { journalFrom: null, journalTo: null, marksByMonth: {}, pupilMarksByMonth: {}, finalMarks: {} };
  const sides: [Snapshot, keyof MarkCount][] = [[source, 'mis'], ...(target ? [[target, 'journal'] as [Snapshot, keyof MarkCount]] : [])];
  for (const [snapshot, side] of sides) {
    const classOfGroup = new Map<string, string>();
    for (const c of snapshot.classes) classOfGroup.set(c.sourceId, c.name);
    for (const g of snapshot.subgroups) {
      const cls = snapshot.classes.find((c) => c.sourceId === g.classId);
      if (cls) classOfGroup.set(g.sourceId, cls.name);
    }
    const subjectName = new Map(snapshot.subjects.map((x) => [x.sourceId, x.name]));
    for (const m of snapshot.marks) {
      const cls = classOfGroup.get(m.groupId) ?? '—';
      const subject = subjectName.get(m.subjectId) ?? '—';
      const pupil = side === 'mis' ? m.pupilId : matched.get(`pupils\u0000${m.pupilId}`);
      if (m.kind === 'current') {
        const month = m.date.slice(0, 7);
        bump(counts.marksByMonth, [month, cls, subject], side);
        if (pupil) bump(counts.pupilMarksByMonth, [month, pupil], side);
      } else if (FINAL_MARK_KINDS.includes(m.kind)) bump(counts.finalMarks, [cls, subject, m.kind], side);
    }
  }
  const days = (target?.lessons ?? []).map((l) => l.date).sort();
  counts.journalFrom = days[0] ?? null;
  counts.journalTo = days[days.length - 1] ?? null;
  return counts;
}
