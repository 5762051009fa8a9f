/**
 * Дневник.ру REST v2 wire formats, as far as the public sources show them
 * (shared/research/dnevnik-api.md §3). Every id is a 64-bit integer with a `*_str` twin: ejsync
 * reads only the `*_str` fields, because a JS number cannot hold the id.
 */

/** An id as the platform sends it: a JSON number that may exceed 2^53. Never read it. */
export type WireInt64 = number;

export interface WireSchool {
  id: WireInt64;
  id_str: string;
  name: string;
  fullName?: string | null;
  city?: string | null;
  municipality?: string | null;
  /** Hours from UTC (Perm: 5). */
  timeZone: number;
}

export type WireGroupType = 'Group' | 'Subgroup';

export interface WireEduGroup {
  id: WireInt64;
  id_str: string;
  parentIds: WireInt64[];
  parentIds_str: string[];
  type: WireGroupType;
  name: string;
  fullName: string;
  /** Grade (parallel); null for subgroups on some installations. */
  parallel: number | null;
  /** Starting year of the study year: 2026 for 2026/2027. */
  studyyear: number;
  status: string;
  subjects_str?: string[];
}

export type WireSex = 'Male' | 'Female';

export interface WirePerson {
  id: WireInt64;
  id_str: string;
  userId: WireInt64 | null;
  userId_str: string | null;
  firstName: string;
  lastName: string;
  middleName: string | null;
  shortName: string;
  sex: WireSex | null;
  /** `YYYY-MM-DDT00:00:00` where the installation returns it. */
  birthday?: string | null;
}

export interface WireGroupStudents {
  group: WireEduGroup;
  students: { person: WirePerson; membershipstatus: 'Active' | 'Archive' }[];
}

export interface WireSubject {
  id: WireInt64;
  id_str: string;
  name: string;
  knowledgeArea?: string | null;
  fgosSubjectId?: WireInt64 | null;
}

export interface WireReportingPeriod {
  id: WireInt64;
  id_str: string;
  /** Offset-less, school-local: `2026-09-01T00:00:00`. */
  start: string;
  finish: string;
  number: number;
  type: string;
  name: string;
  year: number;
}

export interface WireWorkType {
  id: WireInt64;
  id_str: string;
  schoolId: WireInt64;
  schoolId_str: string;
  kind: string;
  title: string;
  abbr: string;
  weight: number;
  isFinal: boolean;
}

export interface WireWork {
  id: WireInt64;
  id_str: string;
  type: 'Default' | 'Homework';
  workType: WireInt64;
  workType_str: string;
  markType: 'Mark' | 'NoMark';
  markCount: number;
  lesson: WireInt64;
  lesson_str: string;
  displayInJournal: boolean;
  status: 'Sent' | 'Draft';
  eduGroup: WireInt64;
  eduGroup_str: string;
  text: string | null;
  subjectId: WireInt64;
  subjectId_str: string;
  /** Offset-less, school-local. */
  targetDate: string;
  sentDate?: string | null;
}

export interface WireLesson {
  id: WireInt64;
  id_str: string;
  title: string | null;
  /** Offset-less, school-local: `2026-11-09T08:00:00`. */
  date: string;
  number: number;
  subject: WireSubject;
  group: WireInt64;
  group_str: string;
  status: 'Planned' | 'Conducted' | 'NotConducted';
  works: WireWork[];
  teachers: WireInt64[];
  teachers_str: string[];
  homework?: string | null;
}

export type WireMood = 'Good' | 'Average' | 'Bad' | 'NotSet';

export interface WireMark {
  id: WireInt64;
  id_str: string;
  type: 'Mark';
  value: string;
  textValue: string;
  person: WireInt64;
  person_str: string;
  work: WireInt64;
  work_str: string;
  lesson: WireInt64 | null;
  lesson_str: string | null;
  number: number;
  /** Offset-less, school-local, fractional seconds: `2026-11-09T10:15:23.1270000`. */
  date: string;
  workType: WireInt64;
  workType_str: string;
  mood: WireMood;
}

export interface WireLogEntry {
  person: WireInt64;
  person_str: string;
  lesson: WireInt64;
  lesson_str: string;
  comment: string | null;
  /** `Attend`, `Absent`, `Ill`, `Late`, `Pass`. */
  status: string;
  createdDate: string;
}

/** `POST /authorizations` answer. */
export interface WireToken {
  accessToken: string;
  expiresIn: number;
  expiresIn_str: string;
  refreshToken: string;
  scope: string;
  user: WireInt64;
  user_str: string;
}

/** `GET /users/me/context`. */
export interface WireUserContext {
  userId: WireInt64;
  userId_str: string;
  personId: WireInt64;
  personId_str: string;
  roles: string[];
  schools: { id: WireInt64; id_str: string; name: string }[];
}

/** Error envelope: `{"type": "apiRequestLimit", "description": "…"}`. */
export interface WireError {
  type: string;
  description: string;
}
