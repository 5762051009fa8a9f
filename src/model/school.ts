import { z } from 'zod';
import { sourceIdSchema } from './ids';
import { isoDateSchema, timeZoneSchema } from './dates';

export const schoolSchema = z.object({
  sourceId: sourceIdSchema,
  name: z.string().trim().min(1),
  shortName: z.string().trim().optional(),
  inn: z.string().regex(/^\d{10}$/, 'ИНН организации — 10 цифр').optional(),
  region: z.string().trim().optional(),
  municipality: z.string().trim().optional(),
  /** IANA zone that decides what "the day" is (Perm: `Asia/Yekaterinburg`). */
  timeZone: timeZoneSchema,
});
export type School = z.infer<typeof schoolSchema>;

export const academicYearSchema = z
  .object({
    sourceId: sourceIdSchema,
    /** `2026/2027`. */
    name: z.string().regex(/^\d{4}\/\d{4}$/, 'учебный год записывается как 2026/2027'),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
  })
  .refine((y) => y.startDate < y.endDate, { message: 'начало учебного года позже окончания', path: ['endDate'] });
export type AcademicYear = z.infer<typeof academicYearSchema>;
