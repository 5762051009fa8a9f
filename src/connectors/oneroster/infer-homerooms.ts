import { makeFinding, parseClassName } from '../../model';
import { parseGrades } from './cell-values';
import { yearOfClass } from './class-years';
import { classNamesIn } from './class-names';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

/** A homeroom class the package does not have, made up from the names of its sections. */
export interface InferredHomeroom {
  /** `homeroom:<year sourcedId>:<name>`, e.g. `homeroom:y2026:5А`. */
  id: string;
  /** The sections (scheduled classes) that became its subgroups: their pupils are its pupils. */
  sections: RawRecord[];
}

/** Ids named in a finding's detail before "…". */
const LISTED = 5;

/**
 * Homeroom classes for a package that has none (SIS exports of subject sections only). A section
 * whose title or classCode names one Russian class (`Математика 5А`, `5А-МАТ`) makes that class in
 * the section's academic year; a section that names none joins the inferred class all its pupils
 * share through other sections, else the only inferred class of its grade (`grades`). Each
 * inferred class is accepted as a canonical class with one `oneroster.inferred_homeroom` warning
 * naming its sections. Returns which class each placed section belongs to.
 */
export function inferHomerooms(ctx: MappingContext, sections: RawRecord[], pupilsOfClass: Map<string, string[]>): { placed: Map<RawRecord, string>; inferred: InferredHomeroom[] } {
  const placed = new Map<RawRecord, string>();
  const byId = new Map<string, InferredHomeroom & { grade: number; yearId: string; name: string }>();
  const rest: RawRecord[] = [];
  for (const row of sections) {
    const yearId = yearOfClass(ctx, row);
    const names = classNamesIn(`${row.values.title} ${row.values.classCode ?? ''}`);
    const parsed = names.length === 1 ? parseClassName(names[0]) : null;
    if (!yearId || !ctx.get('academicYears', yearId) || !parsed) {
      rest.push(row);
      continue;
    }
    const id = `homeroom:${yearId}:${names[0]}`;
    const inferred = byId.get(id) ?? { id, sections: [], grade: parsed.grade, yearId, name: names[0] };
    byId.set(id, inferred);
    inferred.sections.push(row);
    placed.set(row, id);
  }
  const classOfPupil = new Map<string, Set<string>>();
  for (const inferred of byId.values()) {
    for (const section of inferred.sections) {
      for (const pupil of pupilsOfClass.get(section.sourcedId) ?? []) (classOfPupil.get(pupil) ?? classOfPupil.set(pupil, new Set()).get(pupil)!).add(inferred.id);
    }
  }
  for (const row of rest) {
    const yearId = yearOfClass(ctx, row);
    const inYear = [...byId.values()].filter((c) => yearId === undefined || c.yearId === yearId);
    const shared = new Set((pupilsOfClass.get(row.sourcedId) ?? []).flatMap((p) => [...(classOfPupil.get(p) ?? [])]));
    let candidates = inYear.filter((c) => shared.has(c.id));
    if (candidates.length !== 1) {
      const grades = parseGrades(row.values.grades);
      candidates = grades.length === 1 ? inYear.filter((c) => c.grade === grades[0]) : [];
    }
    if (candidates.length !== 1) continue;
    candidates[0].sections.push(row);
    placed.set(row, candidates[0].id);
  }
  for (const c of byId.values()) {
    const first = c.sections[0];
    const letter = c.name.slice(String(c.grade).length);
    const accepted = ctx.accept('classes', {
      origin: first,
      record: { sourceId: c.id, academicYearId: c.yearId, grade: c.grade, letter, name: c.name },
      fields: { academicYearId: 'termSourcedIds', grade: 'title', letter: 'title', name: 'title' },
    });
    if (!accepted) {
      for (const s of c.sections) placed.delete(s);
      continue;
    }
    const ids = c.sections.map((s) => s.sourcedId);
    const listed = ids.slice(0, LISTED).join(', ') + (ids.length > LISTED ? ', …' : '');
    ctx.findings.push(
      makeFinding('oneroster.inferred_homeroom', {
        file: 'classes.csv',
        row: first.row,
        field: 'title',
        entity: 'classes',
        sourceId: c.id,
        detail: `класс ${c.name} (учебный год ${c.yearId}) собран из занятий: ${listed}`,
      }),
    );
  }
  return { placed, inferred: [...byId.values()].filter((c) => ctx.get('classes', c.id)).map(({ id, sections: s }) => ({ id, sections: s })) };
}
