import type { School, AcademicYear } from './school';
import type { ReportingPeriod, Holiday } from './reporting-period';
import type { Subject } from './subject';
import type { Staff, Pupil, Guardian, GuardianLink } from './people';
import type { SchoolClass, Subgroup, Membership } from './groups';
import type { BellSlot, TimetableSlot, Lesson } from './schedule';
import type { Work, Mark } from './marks';
import type { Attendance } from './attendance';

/** Everything one school holds, in canonical form. Each collection is keyed by `sourceId`. */
export interface Snapshot {
  school: School;
  academicYears: AcademicYear[];
  periods: ReportingPeriod[];
  holidays: Holiday[];
  subjects: Subject[];
  staff: Staff[];
  pupils: Pupil[];
  guardians: Guardian[];
  guardianLinks: GuardianLink[];
  classes: SchoolClass[];
  subgroups: Subgroup[];
  memberships: Membership[];
  bellSchedule: BellSlot[];
  timetable: TimetableSlot[];
  lessons: Lesson[];
  works: Work[];
  marks: Mark[];
  attendance: Attendance[];
}

/** The collections of a Snapshot (everything but the school itself). */
export type EntityCollection = Exclude<keyof Snapshot, 'school'>;

/** Entity collections in dependency order: a change never depends on one later in this list. */
export const ENTITY_ORDER: readonly EntityCollection[] = [
  'academicYears',
  'periods',
  'holidays',
  'subjects',
  'staff',
  'classes',
  'subgroups',
  'pupils',
  'guardians',
  'guardianLinks',
  'memberships',
  'bellSchedule',
  'timetable',
  'lessons',
  'works',
  'marks',
  'attendance',
] as const;

/** Russian names of the collections, for reports. */
export const ENTITY_LABELS: Record<EntityCollection, string> = {
  academicYears: 'Учебные годы',
  periods: 'Отчётные периоды',
  holidays: 'Каникулы',
  subjects: 'Предметы',
  staff: 'Сотрудники',
  classes: 'Классы',
  subgroups: 'Подгруппы',
  pupils: 'Обучающиеся',
  guardians: 'Законные представители',
  guardianLinks: 'Связи с представителями',
  memberships: 'Зачисления в классы и группы',
  bellSchedule: 'Расписание звонков',
  timetable: 'Расписание уроков',
  lessons: 'Уроки',
  works: 'Работы и домашние задания',
  marks: 'Отметки',
  attendance: 'Посещаемость',
};

export function emptySnapshot(school: School): Snapshot {
  return {
    school,
    academicYears: [],
    periods: [],
    holidays: [],
    subjects: [],
    staff: [],
    pupils: [],
    guardians: [],
    guardianLinks: [],
    classes: [],
    subgroups: [],
    memberships: [],
    bellSchedule: [],
    timetable: [],
    lessons: [],
    works: [],
    marks: [],
    attendance: [],
  };
}

/** Record counts per collection (plus `school: 1`). */
export function snapshotCounts(s: Snapshot): Record<EntityCollection, number> {
  const counts = {} as Record<EntityCollection, number>;
  for (const key of ENTITY_ORDER) counts[key] = s[key].length;
  return counts;
}
