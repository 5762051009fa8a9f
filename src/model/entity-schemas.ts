import type { z } from 'zod';
import { attendanceSchema } from './attendance';
import { academicYearSchema, schoolSchema } from './school';
import { holidaySchema, reportingPeriodSchema } from './reporting-period';
import { subjectSchema } from './subject';
import { guardianLinkSchema, guardianSchema, pupilSchema, staffSchema } from './people';
import { membershipSchema, schoolClassSchema, subgroupSchema } from './groups';
import { bellSlotSchema, lessonSchema, timetableSlotSchema } from './schedule';
import { markSchema, workSchema } from './marks';
import type { EntityCollection } from './snapshot';

/** The canonical schema every record of a collection must pass (and the school's). */
export const ENTITY_SCHEMAS: Readonly<Record<EntityCollection | 'school', z.ZodType>> = {
  school: schoolSchema,
  academicYears: academicYearSchema,
  periods: reportingPeriodSchema,
  holidays: holidaySchema,
  subjects: subjectSchema,
  staff: staffSchema,
  classes: schoolClassSchema,
  subgroups: subgroupSchema,
  pupils: pupilSchema,
  guardians: guardianSchema,
  guardianLinks: guardianLinkSchema,
  memberships: membershipSchema,
  bellSchedule: bellSlotSchema,
  timetable: timetableSlotSchema,
  lessons: lessonSchema,
  works: workSchema,
  marks: markSchema,
  attendance: attendanceSchema,
};
