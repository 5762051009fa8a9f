import { z } from 'zod';
import { sourceIdSchema } from './ids';
import { isoDateSchema } from './dates';

/** Kinds of gradable work; each maps onto a platform work type through config. */
export const workTypeSchema = z.enum([
  'lesson_answer',
  'homework',
  'control',
  'test',
  'dictation',
  'essay',
  'lab',
  'practical',
  'project',
]);
export type WorkType = z.infer<typeof workTypeSchema>;

/** A gradable item: a control work, a test, homework, an answer in class. */
export const workSchema = z.object({
  sourceId: sourceIdSchema,
  groupId: sourceIdSchema,
  subjectId: sourceIdSchema,
  /** The day of the work (school-local); for homework, the day it was set. */
  date: isoDateSchema,
  /**
   * The lesson the work belongs to (Дневник.ру hangs works on lessons). Sources without lessons
   * (OneRoster line items) leave it out; the platform mapper then finds the lesson by
   * group, subject and date.
   */
  lessonId: sourceIdSchema.optional(),
  workType: workTypeSchema,
  /** Weight for weighted means, where the platform supports them. */
  weight: z.number().min(0).max(10).optional(),
  title: z.string().trim().max(500).optional(),
  description: z.string().trim().max(4000).optional(),
  /** When homework is due. */
  dueDate: isoDateSchema.optional(),
});
export type Work = z.infer<typeof workSchema>;

export const markKindSchema = z.enum(['current', 'quarter', 'half_year', 'year', 'exam', 'final']);
export type MarkKind = z.infer<typeof markKindSchema>;

/**
 * Canonical mark values: `1`–`5` with an optional `+`/`-`, `зач`, `незач`, `н/а` (not certified),
 * `осв` (exempt). Spelling variants are folded by {@link normalizeMarkValue}.
 */
export const MARK_VALUES = ['зач', 'незач', 'н/а', 'осв'] as const;
const FIVE_POINT = /^[1-5][+-]?$/;

export function normalizeMarkValue(raw: string): string | null {
  const v = raw
    .trim()
    .toLocaleLowerCase('ru-RU')
    .replace(/[−–—]/g, '-')
    .replace(/\.$/, '')
    .replace(/ё/g, 'е');
  if (FIVE_POINT.test(v)) return v;
  const aliases: Record<string, string> = {
    зач: 'зач',
    зачет: 'зач',
    зачтено: 'зач',
    незач: 'незач',
    незачет: 'незач',
    'не зачтено': 'незач',
    'н/а': 'н/а',
    на: 'н/а',
    'не аттестован': 'н/а',
    осв: 'осв',
    освобожден: 'осв',
  };
  return aliases[v] ?? null;
}

export const markValueSchema = z.string().transform((raw, ctx) => {
  const v = normalizeMarkValue(raw);
  if (v === null) {
    ctx.addIssue({ code: 'custom', message: 'неизвестное значение отметки (допустимо 1–5 с +/−, зач, незач, н/а, осв)' });
    return z.NEVER;
  }
  return v;
});

/** The numeric part of a five-point mark (`4-` → 4), or null for зач/незач/н/а/осв. */
export function markNumericValue(value: string): number | null {
  return FIVE_POINT.test(value) ? Number(value[0]) : null;
}

export const markSchema = z
  .object({
    sourceId: sourceIdSchema,
    pupilId: sourceIdSchema,
    subjectId: sourceIdSchema,
    groupId: sourceIdSchema,
    kind: markKindSchema,
    value: markValueSchema,
    /** The day the mark was given (school-local). */
    date: isoDateSchema,
    workId: sourceIdSchema.optional(),
    lessonId: sourceIdSchema.optional(),
    periodId: sourceIdSchema.optional(),
    teacherId: sourceIdSchema.optional(),
    comment: z.string().trim().max(1000).optional(),
  })
  .refine((m) => m.kind !== 'current' || m.workId != null, {
    message: 'текущая отметка должна ссылаться на работу',
    path: ['workId'],
  })
  .refine((m) => !['quarter', 'half_year'].includes(m.kind) || m.periodId != null, {
    message: 'отметка за четверть или полугодие должна ссылаться на период',
    path: ['periodId'],
  });
export type Mark = z.infer<typeof markSchema>;
