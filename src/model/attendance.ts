import { z } from 'zod';
import { sourceIdSchema } from './ids';

/**
 * Attendance marks as schools write them: `Н` absent without a valid reason, `П` absent for a
 * valid reason, `Б` ill, and late (опоздание). Platform statuses differ; the mapping is config.
 */
export const attendanceStatusSchema = z.enum(['absent', 'excused', 'ill', 'late']);
export type AttendanceStatus = z.infer<typeof attendanceStatusSchema>;

/** The letters the school's regulations use, and what the journals print. */
export const ATTENDANCE_CODES: Record<AttendanceStatus, string> = {
  absent: 'Н',
  excused: 'П',
  ill: 'Б',
  late: 'ОП',
};

/** `Н`/`н`/`H` (Latin look-alike) → absent, … ; null when unknown. */
export function parseAttendanceCode(raw: string): AttendanceStatus | null {
  const v = raw.trim().toLocaleUpperCase('ru-RU').replace(/H/g, 'Н').replace(/B/g, 'Б');
  switch (v) {
    case 'Н':
      return 'absent';
    case 'П':
    case 'УП':
      return 'excused';
    case 'Б':
      return 'ill';
    case 'ОП':
    case 'О':
    case 'ОПОЗДАНИЕ':
      return 'late';
    default:
      return null;
  }
}

export const attendanceSchema = z.object({
  sourceId: sourceIdSchema,
  pupilId: sourceIdSchema,
  lessonId: sourceIdSchema,
  status: attendanceStatusSchema,
  minutesLate: z.number().int().min(1).max(120).optional(),
  comment: z.string().trim().max(1000).optional(),
});
export type Attendance = z.infer<typeof attendanceSchema>;
