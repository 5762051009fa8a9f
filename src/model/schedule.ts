import { z } from 'zod';
import { sourceIdSchema } from './ids';
import { clockTimeSchema, isoDateSchema } from './dates';
import { groupKindSchema } from './groups';

/** One lesson slot of the bell schedule (расписание звонков). */
export const bellSlotSchema = z
  .object({
    sourceId: sourceIdSchema,
    lessonNumber: z.number().int().min(0).max(12),
    startTime: clockTimeSchema,
    endTime: clockTimeSchema,
    shift: z.number().int().min(1).max(3).default(1),
  })
  .refine((s) => s.startTime < s.endTime, { message: 'урок заканчивается раньше, чем начинается', path: ['endTime'] });
export type BellSlot = z.infer<typeof bellSlotSchema>;

/** A weekly timetable entry: a group has a subject with a teacher on a weekday at a lesson number. */
export const timetableSlotSchema = z.object({
  sourceId: sourceIdSchema,
  groupId: sourceIdSchema,
  groupKind: groupKindSchema,
  subjectId: sourceIdSchema,
  teacherId: sourceIdSchema,
  /** ISO weekday, Monday 1 … Saturday 6 (Sunday 7 is legal but rare). */
  dayOfWeek: z.number().int().min(1).max(7),
  lessonNumber: z.number().int().min(0).max(12),
  room: z.string().trim().optional(),
  validFrom: isoDateSchema.optional(),
  validTo: isoDateSchema.optional(),
});
export type TimetableSlot = z.infer<typeof timetableSlotSchema>;

/** One dated lesson of the journal. */
export const lessonSchema = z.object({
  sourceId: sourceIdSchema,
  groupId: sourceIdSchema,
  groupKind: groupKindSchema,
  subjectId: sourceIdSchema,
  teacherId: sourceIdSchema,
  date: isoDateSchema,
  lessonNumber: z.number().int().min(0).max(12),
  topic: z.string().trim().max(1000).optional(),
  homework: z.string().trim().max(4000).optional(),
  substituteTeacherId: sourceIdSchema.optional(),
  timetableSlotId: sourceIdSchema.optional(),
});
export type Lesson = z.infer<typeof lessonSchema>;
