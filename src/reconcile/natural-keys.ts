import { nameKey, normalizeMarkValue, normalizeSnils, parseClassName, type EntityCollection } from '../model';
import type { AnyRecord } from './references';

/** How a source record was linked to its platform record. */
export type MatchMethod = 'id_map' | 'snils' | 'esia_oid' | 'name_birthdate' | 'natural_key';

/**
 * The key of a record in one matching round, or undefined when the record has no such key.
 * `ref(field)` gives the value of a reference field in the platform's id space (undefined when
 * the referenced record is not matched yet), so source and platform keys are comparable.
 */
export type NaturalKeyFn = (record: AnyRecord, ref: (field: string) => string | undefined) => string | undefined;

export interface MatchRound {
  method: MatchMethod;
  key: NaturalKeyFn;
  /**
   * Whether a unique pair in this round is matched automatically. Advisory rounds only find
   * candidates: a source record with one becomes an ambiguous match for a human.
   * @defaultValue true
   */
  automatic?: boolean;
  /** Russian detail for the ambiguity finding of this round. */
  ambiguityDetail?: string;
}

export interface EntityMatchRules {
  /** Rounds from the most specific key to the least; each round sees only unmatched records. */
  rounds: readonly MatchRound[];
  /** Rejects a candidate pair that contradicts itself (two different СНИЛС). @defaultValue always compatible */
  compatible?: (source: AnyRecord, target: AnyRecord) => boolean;
}

/** Case-folded, `ё` → `е`, single spaces: how names of classes, subjects and works compare. */
export function normalizeText(value: unknown): string {
  if (typeof value !== 'string') return '';
  return value.toLocaleLowerCase('ru-RU').replace(/ё/g, 'е').replace(/\s+/g, ' ').trim();
}

/** `5 А`, `5-а`, `5А` → `5А`; other names as {@link normalizeText}. */
export function normalizeClassName(value: unknown): string {
  if (typeof value !== 'string') return '';
  const parsed = parseClassName(value);
  return parsed ? `${parsed.grade}${parsed.letter}` : normalizeText(value);
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v.trim() !== '' ? v.trim() : undefined);

/** Joins key parts; any missing part means "no key". */
function key(...parts: (string | number | undefined)[]): string | undefined {
  for (const p of parts) if (p === undefined) return undefined;
  return parts.join('\u001f');
}

const snilsOf = (r: AnyRecord) => (typeof r.snils === 'string' ? (normalizeSnils(r.snils) ?? undefined) : undefined);
const oidOf = (r: AnyRecord) => str(r.esiaOid);
const personName = (r: AnyRecord) =>
  nameKey({ lastName: String(r.lastName ?? ''), firstName: String(r.firstName ?? ''), middleName: str(r.middleName) });

/** Two person records may be the same person only if their strong ids and birth dates agree. */
function samePersonPossible(s: AnyRecord, t: AnyRecord): boolean {
  const conflict = (a: string | undefined, b: string | undefined) => a !== undefined && b !== undefined && a !== b;
  return !conflict(snilsOf(s), snilsOf(t)) && !conflict(oidOf(s), oidOf(t)) && !conflict(str(s.birthDate), str(t.birthDate));
}

const PERSON_RULES: EntityMatchRules = {
  rounds: [
    { method: 'snils', key: (r) => key(snilsOf(r)), ambiguityDetail: 'один СНИЛС у нескольких записей' },
    { method: 'esia_oid', key: (r) => key(oidOf(r)), ambiguityDetail: 'один oid ЕСИА у нескольких записей' },
    {
      method: 'name_birthdate',
      key: (r) => key(personName(r), str(r.birthDate)),
      ambiguityDetail: 'несколько людей с одинаковыми ФИО и датой рождения',
    },
    {
      method: 'name_birthdate',
      key: (r) => key(personName(r)),
      automatic: false,
      ambiguityDetail: 'совпадают только ФИО, даты рождения для сравнения нет',
    },
  ],
  compatible: samePersonPossible,
};

const markValue = (r: AnyRecord) => (typeof r.value === 'string' ? (normalizeMarkValue(r.value) ?? r.value.trim()) : undefined);

const nk = (fn: NaturalKeyFn): MatchRound => ({ method: 'natural_key', key: fn });
const groupRef = (r: AnyRecord, ref: (f: string) => string | undefined) => key(String(r.groupKind ?? ''), ref('groupId'));

/** Natural keys per collection, tried after the id map. */
export const MATCH_RULES: Readonly<Record<EntityCollection, EntityMatchRules>> = {
  academicYears: { rounds: [nk((r) => key(str(r.name)))] },
  periods: { rounds: [nk((r, ref) => key(ref('academicYearId'), String(r.kind), Number(r.number)))] },
  holidays: {
    rounds: [
      nk((r, ref) => key(ref('academicYearId'), normalizeText(r.name))),
      nk((r, ref) => key(ref('academicYearId'), str(r.startDate))),
    ],
  },
  subjects: { rounds: [nk((r) => key(normalizeText(r.name) || undefined))] },
  staff: PERSON_RULES,
  classes: { rounds: [nk((r, ref) => key(ref('academicYearId'), normalizeClassName(r.name) || undefined))] },
  subgroups: { rounds: [nk((r, ref) => key(ref('classId'), normalizeText(r.name) || undefined))] },
  pupils: PERSON_RULES,
  guardians: PERSON_RULES,
  guardianLinks: { rounds: [nk((r, ref) => key(ref('guardianId'), ref('pupilId')))] },
  memberships: {
    rounds: [
      nk((r, ref) => key(ref('pupilId'), groupRef(r, ref), str(r.startDate))),
      nk((r, ref) => key(ref('pupilId'), groupRef(r, ref))),
    ],
  },
  bellSchedule: { rounds: [nk((r) => key(Number(r.shift ?? 1), Number(r.lessonNumber)))] },
  timetable: {
    rounds: [
      nk((r, ref) => key(groupRef(r, ref), Number(r.dayOfWeek), Number(r.lessonNumber), ref('subjectId'), str(r.validFrom) ?? '')),
      nk((r, ref) => key(groupRef(r, ref), Number(r.dayOfWeek), Number(r.lessonNumber), ref('subjectId'))),
    ],
  },
  lessons: {
    rounds: [
      nk((r, ref) => key(groupRef(r, ref), str(r.date), Number(r.lessonNumber), ref('subjectId'))),
      nk((r, ref) => key(groupRef(r, ref), str(r.date), Number(r.lessonNumber))),
    ],
  },
  works: {
    rounds: [
      nk((r, ref) => key(ref('lessonId'), String(r.workType), normalizeText(r.title))),
      nk((r, ref) => key(ref('groupId'), ref('subjectId'), str(r.date), String(r.workType), normalizeText(r.title))),
    ],
  },
  marks: {
    rounds: [
      nk((r, ref) => (r.workId ? key(ref('pupilId'), ref('workId'), String(r.kind), String(r.value)) : undefined)),
      nk((r, ref) => (r.workId ? key(ref('pupilId'), ref('workId'), String(r.kind)) : undefined)),
      nk((r, ref) => (r.workId ? undefined : key(ref('pupilId'), ref('subjectId'), String(r.kind), r.periodId ? ref('periodId') : str(r.date)))),
    ],
  },
  attendance: { rounds: [nk((r, ref) => key(ref('pupilId'), ref('lessonId')))] },
};
