import type { Finding } from '../../model';
import type { SanityContext } from './context';

/**
 * `sanity.subject_not_taught`: a subject that no timetable slot, lesson, subgroup or work uses.
 */
export function checkSubjectsNotTaught(ctx: SanityContext): Finding[] {
  const { snapshot } = ctx;
  const used = new Set<string>();
  for (const s of snapshot.timetable) used.add(s.subjectId);
  for (const l of snapshot.lessons) used.add(l.subjectId);
  for (const g of snapshot.subgroups) if (g.subjectId !== undefined) used.add(g.subjectId);
  for (const w of snapshot.works) used.add(w.subjectId);
  const findings: Finding[] = [];
  for (const subject of snapshot.subjects) {
    if (used.has(subject.sourceId)) continue;
    findings.push(
      ctx.finding('sanity.subject_not_taught', {
        entity: 'subjects',
        sourceId: subject.sourceId,
        detail: `предмет ${subject.sourceId}: нет ни урока, ни строки расписания, ни подгруппы, ни работы`,
      }),
    );
  }
  return findings;
}
