import type { Finding } from '../../model';
import type { SanityContext } from './context';
import { ruDate } from './format';

/**
 * `sanity.attendance_pupil_not_in_group` and `sanity.attendance_in_closed_period`, in one pass
 * over the attendance records, each resolved through its lesson (group and date).
 *
 * - not in group: the pupil was not a member of the lesson's class or subgroup on the lesson's
 *   date (see {@link SanityContext.memberOn} for subgroups);
 * - closed period: the lesson's date falls in a closed period of the class's parallel.
 *
 * Records whose lesson, pupil or group is not in the snapshot are skipped: dangling references
 * are reported when the source is read.
 */
export function checkAttendance(ctx: SanityContext): Finding[] {
  const wantGroup = ctx.wants('sanity.attendance_pupil_not_in_group');
  const wantClosed = ctx.wants('sanity.attendance_in_closed_period');
  const findings: Finding[] = [];
  if (!wantGroup && !wantClosed) return findings;
  for (const record of ctx.snapshot.attendance) {
    const lesson = ctx.lessons.get(record.lessonId);
    if (!lesson) continue;
    const group = ctx.group(lesson.groupId, lesson.groupKind);
    if (!group) continue;
    if (wantGroup && ctx.pupils.has(record.pupilId) && !ctx.memberOn(record.pupilId, group, lesson.date)) {
      findings.push(
        ctx.finding('sanity.attendance_pupil_not_in_group', {
          entity: 'attendance',
          sourceId: record.sourceId,
          field: 'pupilId',
          detail: `запись ${record.sourceId}, урок ${lesson.sourceId}: обучающийся ${record.pupilId} ${ruDate(lesson.date)} не состоял в ${group.kind === 'class' ? 'классе' : 'группе'} ${group.id}`,
        }),
      );
    }
    if (wantClosed) {
      const closed = group.calendar.day(lesson.date).closedPeriod;
      if (closed) {
        findings.push(
          ctx.finding('sanity.attendance_in_closed_period', {
            entity: 'attendance',
            sourceId: record.sourceId,
            field: 'lessonId',
            detail: `запись ${record.sourceId}, урок ${lesson.sourceId} от ${ruDate(lesson.date)}, период ${closed.sourceId} закрыт`,
          }),
        );
      }
    }
  }
  return findings;
}
