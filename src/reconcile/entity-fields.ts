import {
  academicYearSchema,
  attendanceSchema,
  bellSlotSchema,
  guardianLinkSchema,
  guardianSchema,
  holidaySchema,
  lessonSchema,
  markSchema,
  membershipSchema,
  pupilSchema,
  reportingPeriodSchema,
  schoolClassSchema,
  staffSchema,
  subgroupSchema,
  subjectSchema,
  timetableSlotSchema,
  workSchema,
  type EntityCollection,
} from '../model';

const fieldsOf = (schema: unknown): readonly string[] =>
  Object.keys((schema as { shape: Record<string, unknown> }).shape).filter((k) => k !== 'sourceId');

/** The data fields of each canonical collection (everything but `sourceId`), from the model's schemas. */
export const ENTITY_FIELDS: Readonly<Record<EntityCollection, readonly string[]>> = {
  academicYears: fieldsOf(academicYearSchema),
  periods: fieldsOf(reportingPeriodSchema),
  holidays: fieldsOf(holidaySchema),
  subjects: fieldsOf(subjectSchema),
  staff: fieldsOf(staffSchema),
  classes: fieldsOf(schoolClassSchema),
  subgroups: fieldsOf(subgroupSchema),
  pupils: fieldsOf(pupilSchema),
  guardians: fieldsOf(guardianSchema),
  guardianLinks: fieldsOf(guardianLinkSchema),
  memberships: fieldsOf(membershipSchema),
  bellSchedule: fieldsOf(bellSlotSchema),
  timetable: fieldsOf(timetableSlotSchema),
  lessons: fieldsOf(lessonSchema),
  works: fieldsOf(workSchema),
  marks: fieldsOf(markSchema),
  attendance: fieldsOf(attendanceSchema),
};
