import type { Finding } from '../../model';
import type { SanityContext } from './context';
import { ruDate } from './format';

const WEEKDAYS = ['', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'];

/**
 * `sanity.lesson_outside_period` and `sanity.lesson_outside_timetable`, in one pass over the
 * lessons.
 *
 * A lesson is outside the period when no reporting period of its class's parallel (in the class's
 * academic year) covers its date, or when the date falls on holidays of that parallel. Parallels
 * with no periods at all are left to `sanity.no_periods_for_grade` (one finding, not one per
 * lesson). A lesson is outside the timetable when no slot of its group with the lesson's weekday
 * and number is valid on its date; checked only when the snapshot has a timetable.
 */
export function checkLessons(ctx: SanityContext): Finding[] {
  const wantPeriod = ctx.wants('sanity.lesson_outside_period');
  const wantTimetable = ctx.wants('sanity.lesson_outside_timetable') && ctx.snapshot.timetable.length > 0;
  const findings: Finding[] = [];
  if (!wantPeriod && !wantTimetable) return findings;
  for (const lesson of ctx.snapshot.lessons) {
    if (wantPeriod) {
      const group = ctx.group(lesson.groupId, lesson.groupKind);
      if (group?.calendar.hasPeriods) {
        const day = group.calendar.day(lesson.date);
        const where = `урок ${lesson.sourceId} (группа ${lesson.groupId}, ${group.schoolClass.grade} класс) ${ruDate(lesson.date)}`;
        if (!day.inPeriod) {
          findings.push(ctx.finding('sanity.lesson_outside_period', { entity: 'lessons', sourceId: lesson.sourceId, field: 'date', detail: `${where} не входит ни в один отчётный период` }));
        } else if (day.holiday) {
          findings.push(ctx.finding('sanity.lesson_outside_period', { entity: 'lessons', sourceId: lesson.sourceId, field: 'date', detail: `${where} приходится на каникулы ${day.holiday.sourceId}` }));
        }
      }
    }
    if (wantTimetable) {
      const weekday = ctx.weekday(lesson.date);
      if (!ctx.timetable.covers(lesson, weekday)) {
        findings.push(
          ctx.finding('sanity.lesson_outside_timetable', {
            entity: 'lessons',
            sourceId: lesson.sourceId,
            field: 'lessonNumber',
            detail: `урок ${lesson.sourceId} (группа ${lesson.groupId}) ${ruDate(lesson.date)}, ${WEEKDAYS[weekday]}, ${lesson.lessonNumber}-й урок: в расписании группы такого урока нет`,
          }),
        );
      }
    }
  }
  return findings;
}
