import { shortName, type Attendance, type Lesson, type Mark, type Pupil, type ReportingPeriod, type School, type SchoolClass, type Staff, type Subgroup, type Subject, type Work } from '../../model';
import type { DnevnikValueMaps } from './value-maps';
import type { WireEduGroup, WireLesson, WireLogEntry, WireMark, WirePerson, WireReportingPeriod, WireSchool, WireSubject, WireUser, WireWork, WireWorkType } from './wire-types';

/**
 * The numeric twin of a `*_str` id. Deliberately lossy above 2^53, as on the platform: anything
 * that reads it instead of the string is wrong, and tests show it.
 */
export const int64 = (id: string | null | undefined): number => (id ? Number(id) : 0);

/** Body of `POST /works` and `PUT /works/{id}`. */
export function workBody(work: Work, workTypeId: string, lessonId: string) {
  return {
    work: {
      type: work.workType === 'homework' ? 'Homework' : 'Default',
      workType: int64(workTypeId),
      workType_str: workTypeId,
      markType: 'Mark',
      markCount: 1,
      lesson: int64(lessonId),
      lesson_str: lessonId,
      displayInJournal: true,
      status: 'Sent',
      eduGroup: int64(work.groupId),
      eduGroup_str: work.groupId,
      text: work.title ?? work.description ?? null,
      subjectId: int64(work.subjectId),
      subjectId_str: work.subjectId,
      targetDate: `${work.dueDate ?? work.date}T00:00:00`,
    },
  };
}

/** Body of the mark write on a work. */
export function markBody(mark: Mark, value: string) {
  return { mark: { value, person: int64(mark.pupilId), person_str: mark.pupilId, work: int64(mark.workId), work_str: mark.workId ?? null, lesson_str: mark.lessonId ?? null, date: `${mark.date}T00:00:00` } };
}

/** Body of `POST`/`PUT /lessons/{lesson}/log-entries`. */
export function logEntryBody(entry: Attendance, status: string) {
  return {
    person: int64(entry.pupilId),
    person_str: entry.pupilId,
    lessonLogEntry: { person: int64(entry.pupilId), person_str: entry.pupilId, lesson: int64(entry.lessonId), lesson_str: entry.lessonId, status, comment: entry.comment ?? null },
  };
}

// ——— Whole records, as the platform (and so its emulator) returns them ———

export function wireSchool(s: School, utcOffsetHours: number, markType: string): WireSchool {
  return { id: int64(s.sourceId), id_str: s.sourceId, name: s.shortName ?? s.name, fullName: s.name, city: null, municipality: s.municipality ?? null, timeZone: utcOffsetHours, markType };
}

export function wireClass(c: SchoolClass, studyyear: number, subjects: readonly Subject[]): WireEduGroup {
  return { id: int64(c.sourceId), id_str: c.sourceId, parentIds: [], parentIds_str: [], type: 'Group', name: c.name, fullName: c.name, parallel: c.grade, studyyear, status: 'Active', subjects: subjects.map(wireSubject) };
}

export function wireSubgroup(g: Subgroup, parent: SchoolClass, studyyear: number, subject?: Subject): WireEduGroup {
  return { id: int64(g.sourceId), id_str: g.sourceId, parentIds: [int64(g.classId)], parentIds_str: [g.classId], type: 'Subgroup', name: g.name, fullName: `${parent.name} ${g.name}`, parallel: parent.grade, studyyear, status: 'Active', subjects: subject ? [wireSubject(subject)] : [] };
}

/** A person as the published models have it: no birthday (that is on the login account, {@link wireUser}). */
export function wirePerson(p: Pupil | Staff, userId: string | null): WirePerson {
  return {
    id: int64(p.sourceId),
    id_str: p.sourceId,
    userId: userId ? int64(userId) : null,
    userId_str: userId,
    firstName: p.firstName,
    lastName: p.lastName,
    middleName: p.middleName ?? null,
    shortName: shortName(p),
    sex: p.sex === 'male' ? 'Male' : p.sex === 'female' ? 'Female' : null,
  };
}

/** A person's login account (`users/many`), with the birthday the Person model lacks. */
export function wireUser(p: Pupil | Staff, userId: string, role: 'EduStudent' | 'EduStaff'): WireUser {
  return {
    id: int64(userId),
    id_str: userId,
    personId: int64(p.sourceId),
    personId_str: p.sourceId,
    firstName: p.firstName,
    lastName: p.lastName,
    middleName: p.middleName ?? null,
    sex: p.sex === 'male' ? 'Male' : p.sex === 'female' ? 'Female' : null,
    birthday: 'birthDate' in p && p.birthDate ? `${p.birthDate}T00:00:00` : null,
    roles: [role],
  };
}

export function wireSubject(s: Subject): WireSubject {
  return { id: int64(s.sourceId), id_str: s.sourceId, name: s.name, knowledgeArea: null, fgosSubjectId: null };
}

export function wirePeriod(p: ReportingPeriod, maps: DnevnikValueMaps, year: number): WireReportingPeriod {
  return { id: int64(p.sourceId), id_str: p.sourceId, start: `${p.startDate}T00:00:00`, finish: `${p.endDate}T23:59:59`, number: p.number, type: maps.periodTypes[p.kind], name: p.name, year };
}

export function wireWork(id: string, w: Work, workType: WireWorkType, lessonId: string): WireWork {
  const body = workBody(w, workType.id_str, lessonId).work;
  return { ...body, id: int64(id), id_str: id, type: body.type as WireWork['type'], markType: 'Mark', status: 'Sent', sentDate: `${w.date}T00:00:00` };
}

/** `startTime` is the bell time of the lesson (`08:50`); dates carry no offset. */
export function wireLesson(l: Lesson, subject: Subject, startTime: string, works: WireWork[]): WireLesson {
  return {
    id: int64(l.sourceId),
    id_str: l.sourceId,
    title: l.topic ?? null,
    date: `${l.date}T${startTime}:00`,
    number: l.lessonNumber,
    subject: wireSubject(subject),
    group: int64(l.groupId),
    group_str: l.groupId,
    status: 'Planned',
    works,
    teachers: [int64(l.teacherId)],
    teachers_str: [l.teacherId],
    homework: l.homework ?? null,
  };
}

export function wireMark(id: string, m: Mark, value: string, workTypeId: string, stamp: string): WireMark {
  return {
    id: int64(id),
    id_str: id,
    type: 'Mark',
    value,
    textValue: value,
    person: int64(m.pupilId),
    person_str: m.pupilId,
    work: int64(m.workId),
    work_str: m.workId ?? '',
    lesson: m.lessonId ? int64(m.lessonId) : null,
    lesson_str: m.lessonId ?? null,
    number: 0,
    date: stamp,
    workType: int64(workTypeId),
    workType_str: workTypeId,
    mood: value.startsWith('5') || value.startsWith('4') ? 'Good' : value.startsWith('3') ? 'Average' : value.startsWith('2') || value.startsWith('1') ? 'Bad' : 'NotSet',
  };
}

export function wireLogEntry(a: Attendance, status: string, stamp: string): WireLogEntry {
  return { person: int64(a.pupilId), person_str: a.pupilId, lesson: int64(a.lessonId), lesson_str: a.lessonId, comment: a.comment ?? null, status, createdDate: stamp };
}
