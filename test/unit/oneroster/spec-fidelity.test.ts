import path from 'node:path';
import { validateSource, validationExitStatus } from '../../../src/cli/validate-source';
import { readSource } from '../../../src/connectors/read-source';
import { catalogueEntry, type Finding } from '../../../src/model';
import { idMapFromEntries, plan, sourceGapsOf } from '../../../src/reconcile';
import { runSanityChecks } from '../../../src/reconcile/sanity';
import { fullCapabilities, mirror } from '../reconcile/helpers/fixtures';
import { asV11, codes, inPackageDir, readPackage, row, table, validPackage, type Package } from './helpers/oneroster-fixture';

const FIXTURES = path.resolve(__dirname, '../../fixtures/oneroster');
const codesOf = (findings: Finding[]) => [...new Set(findings.map((f) => f.code))].sort();

/** A delta package of the valid school: the named files as delta rows, every other file absent. */
function deltaPackage(files: Record<string, Record<string, string>[]>, keep: string[] = []): Package {
  const pkg = validPackage();
  const stamp = '2026-10-01T08:00:00Z';
  for (const r of table(pkg, 'manifest.csv').rows) if (r.propertyName.startsWith('file.') && r.value === 'bulk' && !keep.includes(`${r.propertyName.slice(5)}.csv`)) r.value = 'absent';
  for (const [file, rows] of Object.entries(files)) {
    row(pkg, 'manifest.csv', `file.${file.slice(0, -4)}`).value = 'delta';
    table(pkg, file).rows = rows.map((r) => ({ status: 'active', dateLastModified: stamp, ...r }));
  }
  for (const name of Object.keys(pkg)) if (name !== 'manifest.csv' && !(name in files) && !keep.includes(name)) delete pkg[name];
  return pkg;
}

const newPupil = {
  'users.csv': [{ sourcedId: 'p3', enabledUser: 'true', username: 'a.novikova', givenName: 'Алиса', familyName: 'Новикова', grades: '05' }],
  'roles.csv': [{ sourcedId: 'r-p3', userSourcedId: 'p3', roleType: 'primary', role: 'student', orgSourcedId: 'sch-1' }],
  'demographics.csv': [{ sourcedId: 'p3', birthDate: '2015-04-11', sex: 'female' }],
};

describe('issue 15, pt 8: a bundle OneRoster calls valid is accepted', () => {
  it('without demographics.csv every pupil is kept, with one warning that says what it costs', async () => {
    const pkg = validPackage();
    delete pkg['demographics.csv'];
    row(pkg, 'manifest.csv', 'file.demographics').value = 'absent';
    const result = await readPackage(pkg);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'oneroster.birth_date_missing', severity: 'warning', file: 'demographics.csv', entity: 'pupils', message: expect.stringContaining('ни у одного из 2 учеников') }),
    ]);
    expect(catalogueEntry('oneroster.birth_date_missing').hint).toMatch(/ФИО и дате рождения/);
    const s = result.snapshot!;
    expect(s.pupils.map((p) => [p.sourceId, p.birthDate])).toEqual([
      ['p1', undefined],
      ['p2', undefined],
    ]);
    expect([s.memberships.length, s.guardianLinks.length, s.marks.length]).toEqual([5, 2, 5]);
    // Unknown, not empty: birth date and sex are left as the platform has them.
    expect(result.rejectedFields?.pupils?.p1).toEqual(['birthDate', 'sex']);
  });

  it('a blank birthDate keeps the pupil; the platform’s birth date is neither compared nor cleared', async () => {
    const full = (await readPackage(validPackage())).snapshot!;
    const { target, entries } = mirror(full);
    const pkg = validPackage();
    delete row(pkg, 'demographics.csv', 'p2').birthDate;
    const read = await readPackage(pkg);
    expect(read.findings).toEqual([expect.objectContaining({ code: 'oneroster.birth_date_missing', sourceId: 'p2', message: expect.stringContaining('у 1 из 2 учеников: p2') })]);
    const options = { capabilities: fullCapabilities() };
    expect(plan(read.snapshot!, target, idMapFromEntries(entries), { ...options, gaps: sourceGapsOf(read) }).changes).toEqual([]);
    // Without the gap the missing date would have been "cleared" on the platform.
    expect(plan(read.snapshot!, target, idMapFromEntries(entries), options).changes.map((c) => [c.sourceId, c.changedFields])).toEqual([['p2', ['birthDate']]]);
  });

  it('scheduled sections without any homeroom class: the class is inferred from their names, with a warning, not dropped', async () => {
    const pkg = validPackage();
    table(pkg, 'classes.csv').rows = table(pkg, 'classes.csv').rows.filter((r) => r.classType !== 'homeroom');
    table(pkg, 'classes.csv').rows.push({ sourcedId: 'c5-inf2', title: 'Информатика, гр. 2', grades: '05', courseSourcedId: 'math', classType: 'scheduled', schoolSourcedId: 'sch-1', termSourcedIds: 'q1,q2,q3,q4' });
    table(pkg, 'enrollments.csv').rows = table(pkg, 'enrollments.csv').rows.filter((r) => r.classSourcedId !== 'c5a');
    table(pkg, 'enrollments.csv').rows.push({ sourcedId: 'e-p2-inf', classSourcedId: 'c5-inf2', schoolSourcedId: 'sch-1', userSourcedId: 'p2', role: 'student' });
    const result = await readPackage(pkg);
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'oneroster.inferred_homeroom', severity: 'warning', file: 'classes.csv', entity: 'classes', sourceId: 'homeroom:y2026:5А', message: expect.stringContaining('c5a-math, c5a-eng1, c5-inf2') }),
    ]);
    const s = result.snapshot!;
    expect(s.classes).toEqual([{ sourceId: 'homeroom:y2026:5А', academicYearId: 'y2026', grade: 5, letter: 'А', name: '5А' }]);
    // Named «Математика 5А», by classCode «5а-англ-1», and by its pupil's other section.
    expect(s.subgroups.map((g) => [g.sourceId, g.classId])).toEqual([
      ['c5a-math', 'homeroom:y2026:5А'],
      ['c5a-eng1', 'homeroom:y2026:5А'],
      ['c5-inf2', 'homeroom:y2026:5А'],
    ]);
    expect(s.memberships.filter((m) => m.groupKind === 'class')).toEqual([
      { sourceId: 'homeroom:y2026:5А:p1', pupilId: 'p1', groupId: 'homeroom:y2026:5А', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
      { sourceId: 'homeroom:y2026:5А:p2', pupilId: 'p2', groupId: 'homeroom:y2026:5А', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
    ]);
    expect(s.marks).toHaveLength(5);
    expect(runSanityChecks(s).filter((f) => f.code === 'sanity.pupil_without_class')).toEqual([]);
  });
});

describe('issue 15, pt 9: delta packages', () => {
  it('a delta that adds one pupil validates clean; without orgs.csv, --school names the school', async () => {
    const pkg = deltaPackage(newPupil);
    await inPackageDir(pkg, async (dir) => {
      const named = await validateSource(dir, { schoolSourcedId: 'sch-1' });
      expect(named.findings).toEqual([]);
      expect(named.counts).toMatchObject({ pupils: 1 });
      expect(validationExitStatus(named)).toBe(0);
      const read = await readSource(dir, { schoolSourcedId: 'sch-1' });
      expect(read).toMatchObject({ mode: 'delta', snapshot: { school: { sourceId: 'sch-1' } } });
      expect(read.snapshot!.pupils.map((p) => p.sourceId)).toEqual(['p3']);
      // A link names its school the same way.
      expect((await readSource(dir, { school: { sourceId: 'sch-1', timeZone: 'Asia/Yekaterinburg' } })).snapshot!.school).toMatchObject({ sourceId: 'sch-1', timeZone: 'Asia/Yekaterinburg' });
      // Unnamed, the package is read but invalid: exit 1, not 2.
      const unnamed = await validateSource(dir);
      expect(codesOf(unnamed.findings)).toEqual(['oneroster.school_missing']);
      expect(validationExitStatus(unnamed)).toBe(1);
    });
  });

  it('a delta is not held to whole-school checks; checks within its own records still run', async () => {
    await inPackageDir(deltaPackage(newPupil, ['orgs.csv']), async (dir) => {
      const result = await validateSource(dir);
      // A pupil with no class in the delta is fine: the class is at the receiver.
      expect(result.findings).toEqual([]);
      expect(validationExitStatus(result)).toBe(0);
    });
    const twins = deltaPackage({
      'users.csv': [
        { ...newPupil['users.csv'][0], userIds: '{snils:112-233-445 95}' },
        { sourcedId: 'p4', enabledUser: 'true', username: 'b.novikov', givenName: 'Борис', familyName: 'Новиков', userIds: '{snils:112-233-445 95}' },
      ],
      'roles.csv': [newPupil['roles.csv'][0], { sourcedId: 'r-p4', userSourcedId: 'p4', roleType: 'primary', role: 'student', orgSourcedId: 'sch-1' }],
      'demographics.csv': [newPupil['demographics.csv'][0], { sourcedId: 'p4', birthDate: '2015-06-01', sex: 'male' }],
    }, ['orgs.csv']);
    await inPackageDir(twins, async (dir) => expect(codesOf((await validateSource(dir)).findings)).toEqual(['sanity.duplicate_snils']));
  });
});

describe('issue 15, pt 10: OneRoster 1.1', () => {
  it('a valid 1.1 package (role in users.csv, no roles.csv, gradingPeriodSourcedId) reads like its 1.2 twin', async () => {
    const v12 = await readPackage(validPackage());
    const v11 = await readPackage(asV11(validPackage()));
    expect(v11.findings).toEqual([]);
    expect(v11.counts).toEqual(v12.counts);
    const [a, b] = [v11.snapshot!, v12.snapshot!];
    for (const k of ['academicYears', 'periods', 'subjects', 'staff', 'pupils', 'guardians', 'guardianLinks', 'classes', 'subgroups', 'memberships'] as const) expect(a[k]).toEqual(b[k]);
    expect(a.works.map((w) => [w.sourceId, w.workType, w.date])).toEqual(b.works.map((w) => [w.sourceId, w.workType, w.date]));
    expect(a.marks.find((m) => m.sourceId === 'res-5')).toEqual(b.marks.find((m) => m.sourceId === 'res-5'));
  });

  it('a 1.1 package is held to 1.1: its required role column, and 1.2-only files and columns are foreign', async () => {
    const pkg = asV11(validPackage());
    table(pkg, 'users.csv').header.push('pronouns');
    table(pkg, 'categories.csv').header.push('weight');
    pkg['roles.csv'] = 'sourcedId,userSourcedId,roleType,role,orgSourcedId\r\n';
    const result = await readPackage(pkg);
    expect(result.findings.map((f) => [f.code, f.file, f.field])).toEqual([
      ['oneroster.ignored_file', 'roles.csv', undefined],
      ['oneroster.unknown_column', 'users.csv', 'pronouns'],
      ['oneroster.unknown_column', 'categories.csv', 'weight'],
    ]);
    const noRole = asV11(validPackage());
    table(noRole, 'users.csv').header = table(noRole, 'users.csv').header.filter((h) => h !== 'role');
    expect((await readPackage(noRole)).findings[0]).toMatchObject({ code: 'oneroster.missing_column', file: 'users.csv', field: 'role' });
  });

  it('a vendor’s 1.1 sample is read and its real defects reported, not "unsupported version"', async () => {
    const result = await validateSource(path.join(FIXTURES, 'v1.1-vendor'));
    expect(result.format).toBe('oneroster');
    const at = (code: string) => result.findings.filter((f) => f.code === code).map((f) => `${f.file}:${f.field ?? ''}`);
    expect(at('oneroster.missing_file')).toEqual(['courses.csv:', 'enrollments.csv:']);
    expect(at('oneroster.missing_column')).toEqual(['academicSessions.csv:schoolYear', 'demographics.csv:sourcedId']);
    expect(at('oneroster.unknown_column')).toEqual([
      'orgs.csv:ext_vendor_databaseId',
      'classes.csv:grade',
      'classes.csv:ext_vendor_databaseId',
      'users.csv:userId',
      'users.csv:agents',
      'users.csv:ext_vendor_studentGrade',
      'demographics.csv:userSourcedId',
    ]);
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'oneroster.invalid_value', file: 'orgs.csv', field: 'dateLastModified', message: expect.stringContaining('«2026-05-06 08:01:05»') }));
    expect(codesOf(result.findings)).toEqual(
      expect.arrayContaining(['oneroster.status_in_bulk', 'oneroster.missing_value', 'oneroster.ambiguous_school']),
    );
    expect(codesOf(result.findings)).not.toContain('oneroster.unsupported_version');
    expect(validationExitStatus(result)).toBe(1);
  });
});

describe('issue 15, pt 11: strict where the spec is strict', () => {
  it('misspelled headers and day-first dates of a real 1.2 test set are errors; read but invalid exits 1', async () => {
    const result = await validateSource(path.join(FIXTURES, 'v1.2-moodle'));
    expect(result.format).toBe('oneroster');
    const unknown = result.findings.filter((f) => f.code === 'oneroster.unknown_column');
    expect(unknown.map((f) => f.field)).toEqual(['prefferedGivenName', 'prefferedMiddleName', 'prefferedFamilyName']);
    expect(unknown[0].message).toContain('возможно, имелось в виду «preferredGivenName»');
    const dates = result.findings.filter((f) => f.code === 'oneroster.invalid_value' && f.field === 'dateLastModified');
    expect(dates.map((f) => [f.file, f.row, f.message.match(/«[^»]+»/)![0]])).toEqual([
      ['academicSessions.csv', 2, '«2026-05-01»'],
      ['users.csv', 1, '«1/05/2026»'],
      ['users.csv', 3, '«15/06/2026»'],
    ]);
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'oneroster.invalid_value', file: 'manifest.csv', field: 'file.scoreScales' }));
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'oneroster.invalid_value', file: 'classes.csv', field: 'classType', message: expect.stringContaining('«Scheduled»') }));
    expect(result.findings).toContainEqual(expect.objectContaining({ code: 'oneroster.school_missing' }));
    expect(validationExitStatus(result)).toBe(1);
  });

  it('unknown manifest properties are errors', async () => {
    const pkg = validPackage();
    table(pkg, 'manifest.csv').rows.push({ propertyName: 'file.rolls', value: 'bulk' }, { propertyName: 'source.systemVersion', value: '7.3' });
    const result = await readPackage(pkg);
    expect(result.findings.map((f) => [f.code, f.severity, f.file, f.field])).toEqual([
      ['oneroster.unknown_manifest_property', 'error', 'manifest.csv', 'file.rolls'],
      ['oneroster.unknown_manifest_property', 'error', 'manifest.csv', 'source.systemVersion'],
    ]);
    expect(result.findings[0].message).toContain('«file.roles»');
  });

  it('a non-ISO date in any column is an error naming the column and the value', async () => {
    const pkg = validPackage();
    row(pkg, 'roles.csv', 'r-p1').beginDate = '01.09.2026';
    Object.assign(row(pkg, 'users.csv', 't1'), { dateLastModified: '2026-09-01 08:00' });
    const result = await readPackage(pkg);
    const bad = result.findings.filter((f) => f.code === 'oneroster.invalid_value');
    expect(bad.map((f) => [f.file, f.field, f.sourceId, f.message.match(/«[^»]+»/)![0]])).toEqual([
      ['users.csv', 'dateLastModified', 't1', '«2026-09-01 08:00»'],
      ['roles.csv', 'beginDate', 'r-p1', '«01.09.2026»'],
    ]);
  });

  it('another roster format’s CSV set (Microsoft SDS v2.1) is refused as not OneRoster, with a hint; nothing is read (exit 2)', async () => {
    const result = await validateSource(path.join(FIXTURES, 'sds-v2.1'));
    expect(result.format).toBeNull();
    expect(result.findings).toEqual([
      expect.objectContaining({ code: 'oneroster.not_oneroster', severity: 'error', message: expect.stringContaining('School Data Sync'), hint: expect.stringContaining('manifest.csv') }),
    ]);
    expect(result.counts).toEqual({});
    expect(validationExitStatus(result)).toBe(2);
  });

  it('a package without a school org was still read: exit 1 with its findings, not 2', async () => {
    const pkg = validPackage();
    row(pkg, 'orgs.csv', 'sch-1').type = 'local';
    row(pkg, 'results.csv', 'res-1').scoreDate = '7 сентября';
    await inPackageDir(pkg, async (dir) => {
      const result = await validateSource(dir);
      expect(codes({ ...result, snapshot: null })).toEqual(['oneroster.invalid_value', 'oneroster.school_missing']);
      expect(result.counts).toMatchObject({ pupils: 2, marks: 5 });
      expect(validationExitStatus(result)).toBe(1);
    });
  });

});
