import { parseBoolean, parseGrades } from './cell-values';
import { classNamesIn, homeroomName } from './class-names';
import { inSchoolScope } from './map-school';
import { yearOfClass } from './class-years';
import { inferHomerooms, type InferredHomeroom } from './infer-homerooms';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

/**
 * The teacher of each class from teacher enrollments: the one marked `primary`, else the first.
 * Other teachers of the class cannot be expressed (a class has one homeroom teacher, a subgroup
 * one teacher) and are reported.
 */
function teachersByClass(ctx: MappingContext, schoolId: string): Map<string, { teacherId: string; at: RawRecord }> {
  const out = new Map<string, { teacherId: string; at: RawRecord }>();
  const enrollments = ctx
    .rows('enrollments.csv')
    .filter((e) => e.values.role === 'teacher' && inSchoolScope(ctx, schoolId, e.values.schoolSourcedId))
    .sort((a, b) => Number(parseBoolean(b.values.primary) ?? false) - Number(parseBoolean(a.values.primary) ?? false));
  for (const e of enrollments) {
    const classId = e.values.classSourcedId;
    if (out.has(classId)) {
      ctx.report('oneroster.not_expressible', e, { field: 'userSourcedId', entity: 'classes', detail: `у класса ${classId} уже есть учитель ${out.get(classId)!.teacherId}; второй учитель не переносится` });
      continue;
    }
    if (!ctx.requires(['staff'], e.values.userSourcedId, e, 'userSourcedId', 'classes', 'пользователь не является сотрудником', 'users.csv')) continue;
    out.set(classId, { teacherId: e.values.userSourcedId, at: e });
  }
  return out;
}

/**
 * classes → classes and subgroups. A `homeroom` class is a canonical class: its grade and letter
 * come from the title (`5А`, `11 Б`) or classCode. A `scheduled` class (a subject section) is a
 * subgroup of the homeroom class it belongs to: the class named in its title or code, else the
 * one homeroom all its pupils share, else the only homeroom of its grade. In a full package, a
 * section naming a class the package has no homeroom for gets that class inferred from the
 * sections' names ({@link inferHomerooms}); one naming none goes to the class most of its pupils
 * are in ({@link classOfMostPupils}), with a warning. Only a section with none of these (no
 * pupils in any class, a tie) is not expressible. Returns the inferred classes (their
 * memberships come from the sections' enrollments).
 */
export function mapClasses(ctx: MappingContext, schoolId: string): InferredHomeroom[] {
  for (const row of ctx.deletedRows('classes.csv')) {
    if (row.values.classType === 'homeroom') ctx.markDeleted('classes', row.sourcedId);
    else if (row.values.classType === 'scheduled') ctx.markDeleted('subgroups', row.sourcedId);
    else ctx.report('oneroster.not_expressible', row, { field: 'classType', detail: 'без classType нельзя понять, класс это или подгруппа' });
  }
  const rows = ctx.rows('classes.csv').filter((r) => inSchoolScope(ctx, schoolId, r.values.schoolSourcedId));
  const teachers = teachersByClass(ctx, schoolId);
  const homerooms = rows.filter((r) => r.values.classType === 'homeroom');
  for (const row of homerooms) mapHomeroom(ctx, row, teachers.get(row.sourcedId)?.teacherId);
  const homeroomOfPupil = new Map<string, Set<string>>();
  for (const e of ctx.rows('enrollments.csv')) {
    if (e.values.role !== 'student' || !ctx.get('classes', e.values.classSourcedId)) continue;
    const set = homeroomOfPupil.get(e.values.userSourcedId) ?? new Set<string>();
    homeroomOfPupil.set(e.values.userSourcedId, set);
    set.add(e.values.classSourcedId);
  }
  const pupilsOfClass = new Map<string, string[]>();
  for (const e of ctx.rows('enrollments.csv')) {
    if (e.values.role !== 'student') continue;
    const list = pupilsOfClass.get(e.values.classSourcedId) ?? [];
    pupilsOfClass.set(e.values.classSourcedId, list);
    list.push(e.values.userSourcedId);
  }
  const unplaced: RawRecord[] = [];
  for (const row of rows.filter((r) => r.values.classType === 'scheduled')) {
    const shared = new Set<string>();
    for (const pupil of pupilsOfClass.get(row.sourcedId) ?? []) for (const c of homeroomOfPupil.get(pupil) ?? []) shared.add(c);
    const classId = homeroomOf(ctx, row, shared);
    if (classId) acceptSubgroup(ctx, row, classId, teachers.get(row.sourcedId)?.teacherId);
    else unplaced.push(row);
  }
  // Only a full package can tell that a school lacks a homeroom class: a delta leaves them out.
  const inference = !ctx.delta ? inferHomerooms(ctx, unplaced, pupilsOfClass) : { placed: new Map<RawRecord, string>(), inferred: [] };
  // Pupils of sections placed in inferred classes are that class's pupils too.
  for (const [section, classId] of inference.placed) {
    for (const pupil of pupilsOfClass.get(section.sourcedId) ?? []) (homeroomOfPupil.get(pupil) ?? homeroomOfPupil.set(pupil, new Set()).get(pupil)!).add(classId);
  }
  for (const row of unplaced) {
    const classId = inference.placed.get(row) ?? (ctx.delta ? undefined : classOfMostPupils(ctx, row, pupilsOfClass.get(row.sourcedId) ?? [], homeroomOfPupil));
    if (classId) {
      acceptSubgroup(ctx, row, classId, teachers.get(row.sourcedId)?.teacherId);
      continue;
    }
    ctx.report('oneroster.not_expressible', row, { field: 'classType', entity: 'subgroups', detail: `«${row.values.title}»: не удалось определить класс, подгруппой которого является занятие` });
    ctx.skip('subgroups', row.sourcedId);
  }
  for (const row of rows.filter((r) => r.values.classType.startsWith('ext:'))) {
    ctx.report('oneroster.not_expressible', row, { field: 'classType', entity: 'classes', detail: `вид класса ${row.values.classType}` });
    ctx.skip('classes', row.sourcedId);
  }
  return inference.inferred;
}
/**
 * The last resort for a section nothing names a class for (an elective of pupils of several
 * classes): the class most of its pupils are in, when one class has more of them than any other.
 * It becomes a subgroup of that class, with an `oneroster.section_class_inferred` warning saying
 * which class and how many of its pupils are in it.
 */
function classOfMostPupils(ctx: MappingContext, row: RawRecord, pupils: string[], classesOfPupil: Map<string, Set<string>>): string | undefined {
  const yearId = yearOfClass(ctx, row);
  const tally = new Map<string, number>();
  for (const pupil of pupils) {
    for (const c of classesOfPupil.get(pupil) ?? []) {
      const cls = ctx.get('classes', c);
      if (cls && (yearId === undefined || cls.academicYearId === yearId)) tally.set(c, (tally.get(c) ?? 0) + 1);
    }
  }
  const ranked = [...tally].sort((a, b) => b[1] - a[1]);
  if (!ranked.length || (ranked.length > 1 && ranked[0][1] === ranked[1][1])) return undefined;
  const [classId, n] = ranked[0];
  ctx.report('oneroster.section_class_inferred', row, {
    field: 'title',
    entity: 'subgroups',
    detail: `«${row.values.title}» — подгруппа класса ${ctx.get('classes', classId)!.name}: в нём ${n} из ${pupils.length} учеников занятия`,
  });
  return classId;
}

function mapHomeroom(ctx: MappingContext, row: RawRecord, teacherId: string | undefined): void {
  const name = homeroomName(row.values.title, row.values.classCode);
  if (!name) {
    const grades = parseGrades(row.values.grades);
    const grade = grades.length === 1 ? `${grades[0]}-й параллели ` : '';
    ctx.report('oneroster.not_expressible', row, { field: 'title', entity: 'classes', detail: `«${row.values.title}»: класс ${grade}без буквы; ожидается название вида «5А»` });
    ctx.skip('classes', row.sourcedId);
    return;
  }
  const yearId = yearOfClass(ctx, row);
  if (!yearId) {
    ctx.report('oneroster.not_expressible', row, { field: 'termSourcedIds', entity: 'classes', detail: 'не удалось определить учебный год класса' });
    ctx.skip('classes', row.sourcedId);
    return;
  }
  if (!ctx.requires(['academicYears'], yearId, row, 'termSourcedIds', 'classes', 'учебный год не найден', 'academicSessions.csv')) {
    ctx.reject('classes', row.sourcedId);
    return;
  }
  ctx.accept('classes', {
    origin: row,
    record: { sourceId: row.sourcedId, academicYearId: yearId, grade: name.grade, letter: name.letter, name: `${name.grade}${name.letter}`, homeroomTeacherId: teacherId },
    fields: { academicYearId: 'termSourcedIds', grade: 'title', letter: 'title', name: 'title', homeroomTeacherId: 'userSourcedId' },
  });
}

/**
 * The homeroom class a section belongs to, or undefined: the class named in its title or code,
 * else the one homeroom its pupils share (`sharedHomerooms`), else the only homeroom of its grade.
 * A section of a full package that names a class the package has no homeroom for is left to
 * inference ({@link inferHomerooms}).
 */
function homeroomOf(ctx: MappingContext, row: RawRecord, sharedHomerooms: Set<string>): string | undefined {
  const yearId = yearOfClass(ctx, row);
  const homerooms = ctx.all('classes').filter((c) => yearId === undefined || c.academicYearId === yearId);
  const named = classNamesIn(`${row.values.title} ${row.values.classCode ?? ''}`);
  let candidates = homerooms.filter((c) => named.includes(c.name));
  // «5Б Математика» in a full package without 5Б: the class is inferred from the name, not guessed by grade.
  if (candidates.length === 0 && named.length > 0 && !ctx.delta) return undefined;
  if (candidates.length !== 1) {
    candidates = sharedHomerooms.size === 1 ? homerooms.filter((c) => sharedHomerooms.has(c.sourceId)) : [];
  }
  if (candidates.length !== 1) {
    const grades = parseGrades(row.values.grades);
    candidates = grades.length === 1 ? homerooms.filter((c) => c.grade === grades[0]) : [];
  }
  return candidates.length === 1 ? candidates[0].sourceId : undefined;
}

function acceptSubgroup(ctx: MappingContext, row: RawRecord, classId: string, teacherId: string | undefined): void {
  const subjectId = row.values.courseSourcedId;
  ctx.accept('subgroups', {
    origin: row,
    record: {
      sourceId: row.sourcedId,
      classId,
      name: row.values.title,
      subjectId: ctx.get('subjects', subjectId) ? subjectId : undefined,
      teacherId,
    },
    fields: { classId: 'title', name: 'title', subjectId: 'courseSourcedId', teacherId: 'userSourcedId' },
  });
}
