import type { Finding, SchoolClass } from '../../model';
import type { SanityContext } from './context';
import { idList } from './format';

/**
 * `sanity.class_without_homeroom`: a class with no homeroom teacher, or one whose teacher is not
 * among the snapshot's staff.
 */
export function checkClassesWithoutHomeroom(ctx: SanityContext): Finding[] {
  const staff = new Set(ctx.snapshot.staff.map((s) => s.sourceId));
  const findings: Finding[] = [];
  for (const cls of ctx.snapshot.classes) {
    const teacher = cls.homeroomTeacherId;
    if (teacher !== undefined && staff.has(teacher)) continue;
    const detail = teacher === undefined ? `класс ${cls.sourceId}` : `класс ${cls.sourceId}: сотрудника ${teacher} нет среди сотрудников`;
    findings.push(ctx.finding('sanity.class_without_homeroom', { entity: 'classes', sourceId: cls.sourceId, field: 'homeroomTeacherId', detail }));
  }
  return findings;
}

/**
 * `sanity.no_periods_for_grade`: a parallel (grade of an academic year) that has classes but no
 * reporting period covering it. One finding per parallel, on its first class, listing the others.
 */
export function checkGradesWithoutPeriods(ctx: SanityContext): Finding[] {
  const parallels = new Map<string, SchoolClass[]>();
  for (const cls of ctx.snapshot.classes) {
    const key = `${cls.grade}\u0000${cls.academicYearId}`;
    const list = parallels.get(key);
    if (list) list.push(cls);
    else parallels.set(key, [cls]);
  }
  const findings: Finding[] = [];
  for (const classes of parallels.values()) {
    const first = classes[0];
    if (ctx.calendar.forClass(first).hasPeriods) continue;
    findings.push(
      ctx.finding('sanity.no_periods_for_grade', {
        entity: 'classes',
        sourceId: first.sourceId,
        field: 'grade',
        detail: `${first.grade} классы, учебный год ${first.academicYearId} (классы: ${idList(classes.map((c) => c.sourceId))})`,
      }),
    );
  }
  return findings;
}
