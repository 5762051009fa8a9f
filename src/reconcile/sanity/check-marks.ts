import { markNumericValue, type Finding, type ReportingPeriod } from '../../model';
import type { SanityContext } from './context';
import { ruDate } from './format';

/**
 * `sanity.mark_pupil_not_in_group`, `sanity.mark_in_closed_period` and
 * `sanity.marks_in_first_grade`, in one pass over the marks (a few map look-ups per mark).
 *
 * - not in group: the pupil was not a member of the mark's class or subgroup on the mark's date
 *   (see {@link SanityContext.memberOn} for subgroups);
 * - closed period: the mark names a closed period (`periodId`), or its date falls in a closed
 *   period of the class's parallel;
 * - first grade: a five-point mark in a 1st-grade class or its subgroup (безотметочное обучение;
 *   зачёт, н/а and осв pass).
 *
 * Marks whose pupil or group is not in the snapshot are skipped: dangling references are
 * reported when the source is read.
 */
export function checkMarks(ctx: SanityContext): Finding[] {
  const wantGroup = ctx.wants('sanity.mark_pupil_not_in_group');
  const wantClosed = ctx.wants('sanity.mark_in_closed_period');
  const wantFirst = ctx.wants('sanity.marks_in_first_grade');
  const findings: Finding[] = [];
  if (!wantGroup && !wantClosed && !wantFirst) return findings;
  const periods = ctx.calendar.periodsById;
  for (const mark of ctx.snapshot.marks) {
    const group = ctx.group(mark.groupId);
    if (wantGroup && group && ctx.pupils.has(mark.pupilId) && !ctx.memberOn(mark.pupilId, group, mark.date)) {
      findings.push(
        ctx.finding('sanity.mark_pupil_not_in_group', {
          entity: 'marks',
          sourceId: mark.sourceId,
          field: 'pupilId',
          detail: `отметка ${mark.sourceId}: обучающийся ${mark.pupilId} ${ruDate(mark.date)} не состоял в ${group.kind === 'class' ? 'классе' : 'группе'} ${group.id}`,
        }),
      );
    }
    if (wantClosed) {
      const named: ReportingPeriod | undefined = mark.periodId === undefined ? undefined : periods.get(mark.periodId);
      const closed = named?.closed ? named : group?.calendar.day(mark.date).closedPeriod;
      if (closed) {
        findings.push(
          ctx.finding('sanity.mark_in_closed_period', {
            entity: 'marks',
            sourceId: mark.sourceId,
            field: closed === named ? 'periodId' : 'date',
            detail: `отметка ${mark.sourceId} от ${ruDate(mark.date)}, период ${closed.sourceId} закрыт`,
          }),
        );
      }
    }
    if (wantFirst && group && group.schoolClass.grade === 1 && markNumericValue(mark.value) !== null) {
      findings.push(
        ctx.finding('sanity.marks_in_first_grade', {
          entity: 'marks',
          sourceId: mark.sourceId,
          field: 'value',
          detail: `отметка ${mark.sourceId} от ${ruDate(mark.date)} в классе ${group.schoolClass.sourceId} (1 класс)`,
        }),
      );
    }
  }
  return findings;
}
