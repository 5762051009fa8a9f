import { z } from 'zod';
import { sourceIdSchema } from './ids';
import { gradeSchema } from './reporting-period';
import { isoDateSchema } from './dates';

/** Class letters as Russian schools write them: `А`…`Я` (and Latin look-alikes rejected). */
export const classLetterSchema = z.string().regex(/^[А-ЯЁ]$/, 'буква класса — одна заглавная русская буква');

export const schoolClassSchema = z.object({
  sourceId: sourceIdSchema,
  academicYearId: sourceIdSchema,
  grade: gradeSchema,
  letter: classLetterSchema,
  /** `5А`. */
  name: z.string().trim().min(2),
  homeroomTeacherId: sourceIdSchema.optional(),
  /** Study stream / profile (`физико-математический`), if any. */
  profile: z.string().trim().optional(),
});
export type SchoolClass = z.infer<typeof schoolClassSchema>;

/** A class split for languages, informatics, labour: pupils are members of the subgroup too. */
export const subgroupSchema = z.object({
  sourceId: sourceIdSchema,
  classId: sourceIdSchema,
  name: z.string().trim().min(1),
  subjectId: sourceIdSchema.optional(),
  teacherId: sourceIdSchema.optional(),
});
export type Subgroup = z.infer<typeof subgroupSchema>;

export const groupKindSchema = z.enum(['class', 'subgroup']);
export type GroupKind = z.infer<typeof groupKindSchema>;

export const membershipReasonSchema = z.enum(['enrolled', 'transferred', 'promoted', 'left', 'assigned']);
export type MembershipReason = z.infer<typeof membershipReasonSchema>;

/**
 * A pupil in a class or subgroup from `startDate` to `endDate` (inclusive; open-ended when absent).
 * Arrivals, departures and transfers happen by order of the director (приказ) with a date.
 */
export const membershipSchema = z
  .object({
    sourceId: sourceIdSchema,
    pupilId: sourceIdSchema,
    groupId: sourceIdSchema,
    groupKind: groupKindSchema,
    startDate: isoDateSchema,
    endDate: isoDateSchema.optional(),
    reason: membershipReasonSchema.default('enrolled'),
    orderNumber: z.string().trim().optional(),
    orderDate: isoDateSchema.optional(),
    /**
     * Read from a platform that marks a membership ended without saying when (Дневник.ру's
     * `membershipstatus: Archive`): the pupil has left the group there, at a date it does not give.
     */
    ended: z.literal(true).optional(),
  })
  .refine((m) => m.endDate == null || m.startDate <= m.endDate, { message: 'дата выбытия раньше даты зачисления', path: ['endDate'] });
export type Membership = z.infer<typeof membershipSchema>;

/** Parses `5А`, `11 Б`, `10-а` into grade and letter, or null. */
export function parseClassName(name: string): { grade: number; letter: string } | null {
  const m = /^\s*(\d{1,2})\s*-?\s*([А-ЯЁа-яё])\s*$/.exec(name);
  if (!m) return null;
  const grade = Number(m[1]);
  if (grade < 1 || grade > 11) return null;
  return { grade, letter: m[2].toLocaleUpperCase('ru-RU') };
}
