import type { Finding, Snapshot } from '../../model';
import { SanityContext, type SanityCode, type SanityOptions } from './context';
import { checkPupilsWithoutClass, checkOverlappingMemberships } from './check-pupils';
import { checkClassesWithoutHomeroom, checkGradesWithoutPeriods } from './check-classes';
import { checkSubjectsNotTaught } from './check-subjects';
import { checkLessons } from './check-lessons';
import { checkMarks } from './check-marks';
import { checkAttendance } from './check-attendance';
import { checkDuplicateSnils } from './check-snils';

export type { SanityCode, SanityOptions, ResolvedGroup } from './context';
export { SanityContext } from './context';
export { MembershipIndex } from './membership-index';
export { SchoolCalendar, GradeCalendar, type CalendarDay } from './school-calendar';
export { TimetableIndex } from './timetable-index';
export { checkPupilsWithoutClass, checkOverlappingMemberships } from './check-pupils';
export { checkClassesWithoutHomeroom, checkGradesWithoutPeriods } from './check-classes';
export { checkSubjectsNotTaught } from './check-subjects';
export { checkLessons } from './check-lessons';
export { checkMarks } from './check-marks';
export { checkAttendance } from './check-attendance';
export { checkDuplicateSnils } from './check-snils';

/** The checks in report order, each with the codes it can produce (a check runs if any is wanted). */
const CHECKS: ReadonlyArray<{ codes: readonly SanityCode[]; run: (ctx: SanityContext) => Finding[] }> = [
  { codes: ['sanity.no_periods_for_grade'], run: checkGradesWithoutPeriods },
  { codes: ['sanity.class_without_homeroom'], run: checkClassesWithoutHomeroom },
  { codes: ['sanity.subject_not_taught'], run: checkSubjectsNotTaught },
  { codes: ['sanity.duplicate_snils'], run: checkDuplicateSnils },
  { codes: ['sanity.pupil_without_class'], run: checkPupilsWithoutClass },
  { codes: ['sanity.overlapping_memberships'], run: checkOverlappingMemberships },
  { codes: ['sanity.lesson_outside_period', 'sanity.lesson_outside_timetable'], run: checkLessons },
  { codes: ['sanity.mark_pupil_not_in_group', 'sanity.mark_in_closed_period', 'sanity.marks_in_first_grade'], run: checkMarks },
  { codes: ['sanity.attendance_pupil_not_in_group', 'sanity.attendance_in_closed_period'], run: checkAttendance },
];

/**
 * Cross-record checks over one Snapshot: everything the per-record schemas cannot see (a pupil
 * in no class, a mark given on a day the pupil was not in the group, a lesson on holidays, one
 * СНИЛС on two people, …). Pure and deterministic: findings come in check order, then in snapshot
 * order. Every finding names the record by `entity` and `sourceId`; details carry ids and dates
 * only, never names or СНИЛС (152-ФЗ). Built on maps, so a school of 100 000 pupils with millions
 * of marks and absences is checked in linear time.
 *
 * @param snapshot - the school as one system holds it (usually the МИС side, before planning)
 * @param options - checks to skip, severity overrides, the academic year for enrolment
 * @returns the findings, empty when the snapshot is consistent
 */
export function runSanityChecks(snapshot: Snapshot, options: SanityOptions = {}): Finding[] {
  const ctx = new SanityContext(snapshot, options);
  const findings: Finding[] = [];
  for (const check of CHECKS) {
    if (!check.codes.some((code) => ctx.wants(code))) continue;
    for (const f of check.run(ctx)) findings.push(f);
  }
  return findings;
}
