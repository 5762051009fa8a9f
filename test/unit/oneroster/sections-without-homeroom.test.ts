import { codes, readPackage, table, validPackage, type Package } from './helpers/oneroster-fixture';

/**
 * Issue 15 pt 8: `scheduled` sections with no homeroom class are mapped, never dropped: a class
 * named in the section («5Б Математика») is inferred when the package has no such homeroom, even
 * beside other homerooms; a section naming none goes to the class most of its pupils are in.
 * Each with a warning naming what was inferred.
 */
/** A second homeroom, 5Б, with pupil p3. */
function with5B(pkg: Package): Package {
  withPupil3(pkg);
  table(pkg, 'classes.csv').rows.push({ sourcedId: 'c5b', title: '5Б', grades: '05', courseSourcedId: 'hr', classType: 'homeroom', schoolSourcedId: 'sch-1', termSourcedIds: 'y2026' });
  table(pkg, 'enrollments.csv').rows.push({ sourcedId: 'e-p3', classSourcedId: 'c5b', schoolSourcedId: 'sch-1', userSourcedId: 'p3', role: 'student', beginDate: '2026-09-01' });
  return pkg;
}

function withPupil3(pkg: Package): Package {
  table(pkg, 'users.csv').rows.push({ sourcedId: 'p3', enabledUser: 'true', username: 'a.novikova', givenName: 'Алиса', familyName: 'Новикова', grades: '05', primaryOrgSourcedId: 'sch-1' });
  table(pkg, 'roles.csv').rows.push({ sourcedId: 'r-p3', userSourcedId: 'p3', roleType: 'primary', role: 'student', orgSourcedId: 'sch-1' });
  table(pkg, 'demographics.csv').rows.push({ sourcedId: 'p3', birthDate: '2015-04-11', sex: 'female' });
  return pkg;
}

const section = (sourcedId: string, title: string) => ({ sourcedId, title, grades: '05', courseSourcedId: 'math', classType: 'scheduled', schoolSourcedId: 'sch-1', termSourcedIds: 'q1,q2,q3,q4' });
const enrol = (sourcedId: string, classSourcedId: string, userSourcedId: string) => ({ sourcedId, classSourcedId, schoolSourcedId: 'sch-1', userSourcedId, role: 'student', beginDate: '2026-09-01' });

describe('OneRoster sections with no homeroom class', () => {
  it('«5Б Математика» beside a package that has only 5А: class 5Б is inferred, with a warning naming the section', async () => {
    const pkg = withPupil3(validPackage());
    table(pkg, 'classes.csv').rows.push(section('c5b-math', '5Б Математика'));
    table(pkg, 'enrollments.csv').rows.push(enrol('e-p3-math', 'c5b-math', 'p3'));
    const result = await readPackage(pkg);
    expect(codes(result)).toEqual(['oneroster.inferred_homeroom']);
    expect(result.findings[0]).toMatchObject({ severity: 'warning', sourceId: 'homeroom:y2026:5Б', message: expect.stringContaining('класс 5Б (учебный год y2026) собран из занятий: c5b-math') });
    const s = result.snapshot!;
    expect(s.classes.map((c) => c.name).sort()).toEqual(['5А', '5Б']);
    expect(s.subgroups.find((g) => g.sourceId === 'c5b-math')).toMatchObject({ classId: 'homeroom:y2026:5Б', subjectId: 'math' });
    // Its pupil is a pupil of the inferred class and of the section.
    expect(s.memberships.filter((m) => m.pupilId === 'p3').map((m) => [m.groupId, m.groupKind]).sort()).toEqual([
      ['c5b-math', 'subgroup'],
      ['homeroom:y2026:5Б', 'class'],
    ]);
  });

  it('a section naming no class, its pupils in two classes: a subgroup of the class most of them are in, with a warning', async () => {
    const pkg = with5B(validPackage());
    table(pkg, 'classes.csv').rows.push(section('choir', 'Хор'));
    table(pkg, 'enrollments.csv').rows.push(enrol('e-p1-choir', 'choir', 'p1'), enrol('e-p2-choir', 'choir', 'p2'), enrol('e-p3-choir', 'choir', 'p3'));
    const result = await readPackage(pkg);
    expect(codes(result)).toEqual(['oneroster.section_class_inferred']);
    expect(result.findings.find((f) => f.code === 'oneroster.section_class_inferred')).toMatchObject({
      severity: 'warning',
      file: 'classes.csv',
      sourceId: 'choir',
      message: expect.stringContaining('«Хор» — подгруппа класса 5А: в нём 2 из 3 учеников занятия'),
    });
    expect(result.snapshot!.subgroups.find((g) => g.sourceId === 'choir')).toMatchObject({ classId: 'c5a' });
    expect(result.snapshot!.memberships.filter((m) => m.groupId === 'choir')).toHaveLength(3);
  });

  it('a tie leaves nothing to infer from: the section is reported as not expressible', async () => {
    const pkg = with5B(validPackage());
    table(pkg, 'classes.csv').rows.push(section('choir', 'Хор'));
    table(pkg, 'enrollments.csv').rows.push(enrol('e-p1-choir', 'choir', 'p1'), enrol('e-p3-choir', 'choir', 'p3'));
    const result = await readPackage(pkg);
    expect(result.findings.find((f) => f.sourceId === 'choir')).toMatchObject({ code: 'oneroster.not_expressible', message: expect.stringContaining('не удалось определить класс') });
    expect(result.snapshot!.subgroups.map((g) => g.sourceId)).not.toContain('choir');
  });
});
