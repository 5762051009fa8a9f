import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { EjsyncError, gradeSchema, isIsoDate, periodKindSchema } from '../model';
import { formatIssues } from './format-issues';

const day = (what: string) => z.string({ error: `${what}: ожидается дата ГГГГ-ММ-ДД` }).refine(isIsoDate, `${what}: ожидается дата ГГГГ-ММ-ДД`);
const id = z.string().regex(/^[A-Za-z0-9_.@-]{1,100}$/, 'идентификатор: латинские буквы, цифры, «_», «.», «@», «-»');

/**
 * The new academic year's calendar (`calendar-2027-2028.json`): the year, its reporting periods
 * and holidays as the school's order on the calendar fixes them. `ejsync rollover --calendar FILE`.
 */
export const yearCalendarSchema = z
  .object({
    name: z.string().regex(/^\d{4}\/\d{4}$/, 'name: учебный год записывается как 2027/2028'),
    startDate: day('startDate (начало учебного года)'),
    endDate: day('endDate (конец учебного года)'),
    periods: z
      .array(
        z.object({
          sourceId: id,
          kind: periodKindSchema,
          number: z.number().int().min(1).max(4),
          name: z.string().trim().min(1, 'periods[].name: название периода'),
          startDate: day('periods[].startDate'),
          endDate: day('periods[].endDate'),
          grades: z.array(gradeSchema).min(1, 'periods[].grades: для каких параллелей период'),
        }),
      )
      .min(1, 'periods: нужен хотя бы один отчётный период'),
    holidays: z
      .array(z.object({ sourceId: id, name: z.string().trim().min(1), startDate: day('holidays[].startDate'), endDate: day('holidays[].endDate'), grades: z.array(gradeSchema).optional() }))
      .default([]),
  })
  .refine((y) => y.startDate < y.endDate, { message: 'endDate: конец учебного года раньше начала', path: ['endDate'] })
  .refine((y) => y.periods.every((p) => p.startDate <= p.endDate && p.startDate >= y.startDate && p.endDate <= y.endDate), {
    message: 'periods: каждый период должен лежать внутри учебного года и начинаться не позже окончания',
    path: ['periods'],
  });

export type YearCalendarFile = z.infer<typeof yearCalendarSchema>;

/** Reads and validates a year calendar file; a wrong field is `config.invalid` naming it in Russian. */
export function loadYearCalendar(file: string): YearCalendarFile {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EjsyncError((cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'config.not_found' : 'config.invalid', { cause, detail: file });
  }
  const parsed = yearCalendarSchema.safeParse(raw);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: `${file}: ${formatIssues(parsed.error)}` });
  return parsed.data;
}
