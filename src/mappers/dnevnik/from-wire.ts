import {
  parseClassName,
  type Attendance,
  type Lesson,
  type Mark,
  type Membership,
  type Pupil,
  type ReportingPeriod,
  type School,
  type SchoolClass,
  type Staff,
  type Subgroup,
  type Subject,
  type Work,
  type WorkType,
} from '../../model';
import { markFromSystem, type MarkSystem } from './mark-system';
import { invert, type DnevnikValueMaps } from './value-maps';
import type { WireEduGroup, WireLesson, WireLogEntry, WireMark, WirePerson, WireReportingPeriod, WireSchool, WireSubject, WireWork, WireWorkType } from './wire-types';

/** `2026-11-09T08:00:00(.fff)` (school-local, no offset) → `2026-11-09`. */
export const localDate = (stamp: string): string => stamp.slice(0, 10);

const optional = (v: string | null | undefined) => (v && v.trim() ? v.trim() : undefined);

/** UTC offset hours → an IANA zone of that offset in Russia; the link's own zone wins where known. */
export function schoolFromWire(w: WireSchool, timeZone: string): School {
  return { sourceId: w.id_str, name: w.fullName || w.name, shortName: optional(w.name), municipality: optional(w.municipality), timeZone };
}

export function subjectFromWire(w: WireSubject): Subject {
  return { sourceId: w.id_str, name: w.name };
}

export function personFromWire(w: WirePerson): Pupil | Staff {
  const base = { sourceId: w.id_str, lastName: w.lastName, firstName: w.firstName, middleName: optional(w.middleName) };
  const sex = w.sex === 'Male' ? 'male' : w.sex === 'Female' ? 'female' : undefined;
  return { ...base, ...(sex ? { sex } : {}), ...(w.birthday ? { birthDate: localDate(w.birthday) } : {}) } as Pupil;
}

/** A class (`Group`) or, with a parent, a subgroup. The academic year is the platform's study year. */
export function groupFromWire(w: WireEduGroup): { kind: 'class'; record: SchoolClass } | { kind: 'subgroup'; record: Subgroup } {
  if (w.type === 'Subgroup' && w.parentIds_str.length) {
    return { kind: 'subgroup', record: { sourceId: w.id_str, classId: w.parentIds_str[0], name: w.name } };
  }
  const parsed = parseClassName(w.name);
  return {
    kind: 'class',
    record: { sourceId: w.id_str, academicYearId: `year-${w.studyyear}`, grade: w.parallel ?? parsed?.grade ?? 1, letter: parsed?.letter ?? 'А', name: w.name },
  };
}

/**
 * The platform has no membership dates: a current member is a member since the study year began.
 * A member whose `membershipstatus` is `Archive` (the published StudentsWrapper model) has left
 * the group at a date the platform does not give: `ended`.
 */
export function membershipFromWire(group: WireEduGroup, person: WirePerson, status?: string | null): Membership {
  return {
    sourceId: `${group.id_str}-${person.id_str}`,
    pupilId: person.id_str,
    groupId: group.id_str,
    groupKind: group.type === 'Subgroup' ? 'subgroup' : 'class',
    startDate: `${group.studyyear}-09-01`,
    reason: 'enrolled',
    ...(status?.trim().toLowerCase() === 'archive' ? { ended: true as const } : {}),
  };
}

export function periodFromWire(w: WireReportingPeriod, academicYearId: string, grades: number[], maps: DnevnikValueMaps): ReportingPeriod | null {
  const kind = invert(maps.periodTypes).get(w.type.toLocaleLowerCase('ru-RU'));
  if (!kind) return null;
  return { sourceId: w.id_str, academicYearId, kind, number: w.number, name: w.name, startDate: localDate(w.start), endDate: localDate(w.finish), grades, closed: false };
}

export function lessonFromWire(w: WireLesson, groupKind: 'class' | 'subgroup'): Lesson {
  return {
    sourceId: w.id_str,
    groupId: w.group_str,
    groupKind,
    subjectId: w.subject.id_str,
    teacherId: w.teachers_str[0] ?? '',
    date: localDate(w.date),
    lessonNumber: w.number,
    ...(optional(w.title) ? { topic: optional(w.title) } : {}),
    ...(optional(w.homework) ? { homework: optional(w.homework) } : {}),
  };
}

export function workFromWire(w: WireWork, lesson: WireLesson | undefined, workTypes: ReadonlyMap<string, WireWorkType>, maps: DnevnikValueMaps): Work | null {
  const title = workTypes.get(w.workType_str)?.title;
  const workType = title ? (invert(maps.workTypes).get(title.toLocaleLowerCase('ru-RU')) as WorkType | undefined) : undefined;
  if (!workType) return null;
  return {
    sourceId: w.id_str,
    groupId: w.eduGroup_str,
    subjectId: w.subjectId_str,
    lessonId: w.lesson_str,
    date: localDate(lesson?.date ?? w.targetDate),
    workType,
    ...(optional(w.text) ? { title: optional(w.text) } : {}),
  };
}

/**
 * Platform mark value → canonical (`З` → `зач`), read in the school's mark system when it is known
 * (see {@link markFromSystem}), or null when nothing maps.
 */
export function markValueFromWire(value: string, maps: DnevnikValueMaps, system: MarkSystem | null = null): string | null {
  return markFromSystem(value, system, maps);
}

export function markFromWire(w: WireMark, work: Work | undefined, maps: DnevnikValueMaps, system: MarkSystem | null = null): Mark | null {
  const value = markValueFromWire(w.value, maps, system);
  if (!work || value === null) return null;
  return {
    sourceId: w.id_str,
    pupilId: w.person_str,
    subjectId: work.subjectId,
    groupId: work.groupId,
    kind: 'current',
    value,
    date: localDate(w.date),
    workId: w.work_str,
    ...(w.lesson_str ? { lessonId: w.lesson_str } : {}),
  };
}

/** A log entry has no id of its own: lesson + person is its key. `Attend` is no record at all. */
export const logEntryKey = (lessonId: string, personId: string) => `${lessonId}-${personId}`;

export function attendanceFromWire(w: WireLogEntry, maps: DnevnikValueMaps): Attendance | null {
  const status = invert(maps.attendanceStatuses).get(w.status.toLocaleLowerCase('ru-RU'));
  if (!status) return null;
  return { sourceId: logEntryKey(w.lesson_str, w.person_str), pupilId: w.person_str, lessonId: w.lesson_str, status, ...(optional(w.comment) ? { comment: optional(w.comment) } : {}) };
}
