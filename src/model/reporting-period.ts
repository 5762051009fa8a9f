import { z } from 'zod';
import { sourceIdSchema } from './ids';
import { instantSchema, isoDateSchema } from './dates';

export const periodKindSchema = z.enum(['quarter', 'half_year', 'trimester', 'year']);
export type PeriodKind = z.infer<typeof periodKindSchema>;

export const gradeSchema = z.number().int().min(1, 'класс от 1 до 11').max(11, 'класс от 1 до 11');

/**
 * A reporting period (четверть, полугодие). Grades 2–9 usually report by quarters and 10–11 by
 * half-years; `grades` says which parallels use the period. A closed period freezes its marks
 * and absences: changes to them are held as `period.closed` findings for a human.
 */
export const reportingPeriodSchema = z
  .object({
    sourceId: sourceIdSchema,
    academicYearId: sourceIdSchema,
    kind: periodKindSchema,
    number: z.number().int().min(1).max(4),
    name: z.string().trim().min(1),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
    grades: z.array(gradeSchema).min(1),
    closed: z.boolean().default(false),
    closedAt: instantSchema.optional(),
  })
  .refine((p) => p.startDate <= p.endDate, { message: 'начало периода позже окончания', path: ['endDate'] });
export type ReportingPeriod = z.infer<typeof reportingPeriodSchema>;

/** School holidays (каникулы): no lessons are expected inside. */
export const holidaySchema = z
  .object({
    sourceId: sourceIdSchema,
    academicYearId: sourceIdSchema,
    name: z.string().trim().min(1),
    startDate: isoDateSchema,
    endDate: isoDateSchema,
    grades: z.array(gradeSchema).optional(),
  })
  .refine((p) => p.startDate <= p.endDate, { message: 'начало каникул позже окончания', path: ['endDate'] });
export type Holiday = z.infer<typeof holidaySchema>;

/** The period kind a grade reports by under the usual Russian scheme. */
export function defaultPeriodKindForGrade(grade: number): PeriodKind {
  return grade >= 10 ? 'half_year' : 'quarter';
}
