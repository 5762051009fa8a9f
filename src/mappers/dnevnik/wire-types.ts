/**
 * Дневник.ру REST v2 records as ejsync reads them (evidence: docs/platforms/dnevnik.md and the
 * contract fixtures in test/contract/dnevnik/answers/). Every id is a 64-bit integer. The platform sends
 * the number and, for some fields only, a `*_str` twin; the connector parses losslessly and fills
 * every `*_str` field below from the twin when there is one, else from the number
 * (`readId` in connectors/dnevnik/wire-ids.ts). ejsync reads only the `*_str` fields.
 */

/** An id number as parsed losslessly: a safe integer, or a digit string beyond 2^53. Never read it; read its `*_str`. */
export type WireInt64 = number | string;

export interface WireSchool {
  id?: WireInt64;
  id_str: string;
  name: string;
  fullName?: string | null;
  city?: string | null;
  municipality?: string | null;
  /** Hours from UTC (Perm: 5). */
  timeZone?: number | null;
  /** The school's mark system, a name `GET marks/values` lists (`mark5`; compared in any case). */
  markType?: string | null;
}

export type WireGroupType = 'Group' | 'Subgroup';

export interface WireEduGroup {
  id?: WireInt64;
  id_str: string;
  /** A subgroup's class. */
  parentIds?: WireInt64[] | null;
  parentIds_str: string[];
  /** `Group` or `Subgroup` (published as an enum; other values are read as a class). */
  type?: string | null;
  name: string;
  fullName?: string | null;
  /** Grade (parallel); null for subgroups on some installations. */
  parallel?: number | null;
  /** Starting year of the study year: 2026 for 2026/2027. */
  studyyear: number;
  status?: string | null;
  timetable?: WireInt64 | null;
  timetable_str?: string | null;
  /** Subjects taught in the group (published as Subject objects). */
  subjects?: WireSubject[] | null;
}

export type WireSex = 'Male' | 'Female';

export interface WirePerson {
  id?: WireInt64;
  id_str: string;
  /** Null for a person without a login account. */
  userId?: WireInt64 | null;
  userId_str: string | null;
  firstName: string;
  lastName: string;
  middleName?: string | null;
  shortName?: string | null;
  sex?: string | null;
  /** Not in the published Person models (they keep birthdays on users); read where an installation returns it. */
  birthday?: string | null;
}

/** A login account (`POST users/many`): where a person's birthday is published. */
export interface WireUser {
  id?: WireInt64;
  id_str: string;
  personId?: WireInt64 | null;
  personId_str: string | null;
  firstName?: string | null;
  lastName?: string | null;
  middleName?: string | null;
  sex?: string | null;
  /** Offset-less: `2012-03-04T00:00:00`. */
  birthday?: string | null;
  roles?: string[] | null;
}

export interface WireGroupStudents {
  group: WireEduGroup;
  students: { person: WirePerson; membershipstatus?: string | null }[];
}

export interface WireSubject {
  id?: WireInt64;
  id_str: string;
  name: string;
  knowledgeArea?: string | null;
  fgosSubjectId?: WireInt64 | null;
}

export interface WireReportingPeriod {
  id?: WireInt64;
  id_str: string;
  /** Offset-less, school-local: `2026-09-01T00:00:00`. */
  start: string;
  finish: string;
  number: number;
  type: string;
  name: string;
  year?: number | null;
}

export interface WireWorkType {
  id?: WireInt64;
  id_str: string;
  schoolId?: WireInt64 | null;
  schoolId_str?: string | null;
  kind?: string | null;
  title: string;
  abbr?: string | null;
  weight?: number | null;
  /** Only in the schedule / final-marks variants of the published models. */
  isFinal?: boolean;
}

export interface WireWork {
  id?: WireInt64;
  id_str: string;
  /** `Default`, `Homework` (the Swagger example shows a number). */
  type?: string | number;
  workType?: WireInt64;
  workType_str: string;
  markType?: string;
  markCount?: number;
  lesson?: WireInt64;
  lesson_str: string;
  displayInJournal?: boolean;
  status?: string;
  eduGroup?: WireInt64;
  eduGroup_str: string;
  text?: string | null;
  subjectId?: WireInt64;
  subjectId_str: string;
  /** Offset-less, school-local. */
  targetDate: string;
  sentDate?: string | null;
}

export interface WireLesson {
  id?: WireInt64;
  id_str: string;
  title?: string | null;
  /** Offset-less, school-local: `2026-11-09T08:00:00`. */
  date: string;
  number: number;
  subject: WireSubject;
  group?: WireInt64;
  group_str: string;
  status?: string | null;
  works: WireWork[];
  teachers?: WireInt64[] | null;
  teachers_str: string[];
  homework?: string | null;
}

export type WireMood = 'Good' | 'Average' | 'Bad' | 'NotSet';

export interface WireMark {
  id?: WireInt64;
  id_str: string;
  type?: string | null;
  value: string;
  textValue?: string | null;
  person?: WireInt64;
  person_str: string;
  work?: WireInt64;
  work_str: string;
  lesson?: WireInt64 | null;
  lesson_str: string | null;
  number?: number | null;
  /** Offset-less, school-local, fractional seconds: `2026-11-09T10:15:23.1270000`. */
  date: string;
  workType?: WireInt64 | null;
  workType_str?: string | null;
  mood?: string | null;
}

export interface WireLogEntry {
  person?: WireInt64;
  person_str: string;
  lesson?: WireInt64;
  lesson_str: string;
  comment?: string | null;
  /** `Attend`, `Absent`, `Ill`, `Late`, `Pass`. */
  status: string;
  createdDate?: string | null;
}

/** `POST /authorizations` answer. */
export interface WireToken {
  accessToken: string;
  expiresIn: number;
  expiresIn_str?: string;
  refreshToken: string;
  scope: string;
  user?: WireInt64;
  user_str: string;
}

/** `GET /users/me/context` as published (no `*_str` twins). Not read by the connector. */
export interface WireUserContext {
  userId: WireInt64;
  personId: WireInt64;
  roles: string[];
  schools: { id: WireInt64; name: string; type?: string; groupIds?: WireInt64[] }[];
}

/** Error envelope: `{"type": "apiRequestLimit", "description": "…"}`. */
export interface WireError {
  type: string;
  description: string;
}
