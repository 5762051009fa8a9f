import type { Finding, Membership } from '../../model';
import type { SanityContext } from './context';
import { ruRange } from './format';

/**
 * `sanity.pupil_without_class`: a pupil with no class membership active at any time in the
 * academic year (`options.academicYearId`, else any academic year of the snapshot; with no
 * academic years, with no class membership at all).
 */
export function checkPupilsWithoutClass(ctx: SanityContext): Finding[] {
  const { snapshot, options } = ctx;
  let years = snapshot.academicYears;
  if (options.academicYearId !== undefined) {
    const chosen = years.filter((y) => y.sourceId === options.academicYearId);
    if (chosen.length > 0) years = chosen;
  }
  const findings: Finding[] = [];
  for (const pupil of snapshot.pupils) {
    const memberships = ctx.memberships.classMemberships(pupil.sourceId);
    const inYear = (m: Membership) => years.some((y) => m.startDate <= y.endDate && (m.endDate == null || m.endDate >= y.startDate));
    if (memberships.length > 0 && (years.length === 0 || memberships.some(inYear))) continue;
    const detail =
      memberships.length === 0
        ? `обучающийся ${pupil.sourceId}: нет ни одного зачисления в класс`
        : `обучающийся ${pupil.sourceId}: нет зачисления в класс ${years.length === 1 ? 'в учебном году' : 'ни в одном из учебных лет'} ${years
            .map((y) => `${y.name} (${ruRange(y.startDate, y.endDate)})`)
            .join(', ')}`;
    findings.push(ctx.finding('sanity.pupil_without_class', { entity: 'pupils', sourceId: pupil.sourceId, detail }));
  }
  return findings;
}

/**
 * `sanity.overlapping_memberships`: a pupil in two different classes on the same day. Each
 * pupil's class memberships are swept in order of start date; the later of two overlapping
 * memberships is reported (once, against the first class it overlaps).
 */
export function checkOverlappingMemberships(ctx: SanityContext): Finding[] {
  const findings: Finding[] = [];
  for (const pupilId of ctx.memberships.pupilIds()) {
    const list = ctx.memberships.classMemberships(pupilId);
    if (list.length < 2) continue;
    list.sort((a, b) => (a.startDate < b.startDate ? -1 : a.startDate > b.startDate ? 1 : a.sourceId < b.sourceId ? -1 : 1));
    let active: Membership[] = [];
    for (const m of list) {
      // Inclusive ends: leaving on the day of arrival elsewhere is still two classes that day.
      active = active.filter((a) => a.endDate == null || a.endDate >= m.startDate);
      const other = active.find((a) => a.groupId !== m.groupId);
      if (other) {
        const from = m.startDate;
        const to = other.endDate == null ? m.endDate : m.endDate == null || other.endDate < m.endDate ? other.endDate : m.endDate;
        findings.push(
          ctx.finding('sanity.overlapping_memberships', {
            entity: 'memberships',
            sourceId: m.sourceId,
            field: 'startDate',
            detail:
              `обучающийся ${pupilId}: зачисление ${m.sourceId} в класс ${m.groupId} (${ruRange(m.startDate, m.endDate)}) ` +
              `пересекается с зачислением ${other.sourceId} в класс ${other.groupId} (${ruRange(other.startDate, other.endDate)}), ` +
              `общие дни ${ruRange(from, to)}`,
          }),
        );
      }
      active.push(m);
    }
  }
  return findings;
}
