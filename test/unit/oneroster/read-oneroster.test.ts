import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { openBundle } from '../../../src/connectors/file-bundle';
import { looksLikeOneRoster, readOneRoster } from '../../../src/connectors/oneroster';
import { codes, readPackage, row, table, toCsv, validPackage } from './helpers/oneroster-fixture';

describe('OneRoster 1.2 CSV: a valid package', () => {
  it('reads with no findings into the expected collections', async () => {
    const result = await readPackage(validPackage());
    expect(result.findings).toEqual([]);
    expect(result.format).toBe('oneroster');
    expect(result.mode).toBe('full');
    expect(result.deleted).toBeUndefined();
    const s = result.snapshot!;
    expect(s.school).toEqual({ sourceId: 'sch-1', name: 'МБОУ «СОШ № 1»', timeZone: 'Asia/Yekaterinburg' });
    const counts = { academicYears: 1, periods: 6, subjects: 3, staff: 1, pupils: 2, guardians: 2, guardianLinks: 2, classes: 1, subgroups: 2, memberships: 5, works: 2, marks: 5 };
    expect(result.counts).toEqual(counts);
    for (const [collection, n] of Object.entries(counts)) expect(s[collection as keyof typeof counts]).toHaveLength(n);
    expect(s.holidays).toEqual([]);
    expect(s.lessons).toEqual([]);
  });

  it('maps sessions to a year, quarters for grades 1–9 and half-years for 10–11', async () => {
    const s = (await readPackage(validPackage())).snapshot!;
    expect(s.academicYears).toEqual([{ sourceId: 'y2026', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' }]);
    const quarters = s.periods.filter((p) => p.kind === 'quarter');
    expect(quarters.map((p) => [p.sourceId, p.number])).toEqual([
      ['q1', 1],
      ['q2', 2],
      ['q3', 3],
      ['q4', 4],
    ]);
    expect(quarters[0]).toMatchObject({ academicYearId: 'y2026', name: 'I четверть', grades: [1, 2, 3, 4, 5, 6, 7, 8, 9], closed: false });
    expect(s.periods.filter((p) => p.kind === 'half_year').map((p) => ({ id: p.sourceId, n: p.number, grades: p.grades }))).toEqual([
      { id: 'h1', n: 1, grades: [10, 11] },
      { id: 'h2', n: 2, grades: [10, 11] },
    ]);
  });

  it('maps users by role with demographics, СНИЛС and ЕСИА oid from userIds, and guardian links from agentSourcedIds', async () => {
    const s = (await readPackage(validPackage())).snapshot!;
    expect(s.staff).toEqual([
      { sourceId: 't1', lastName: 'Учителева', firstName: 'Анна', middleName: 'Петровна', birthDate: '1980-01-01', sex: 'female', snils: '11223344595', email: 'a.uchiteleva@school1.ru', position: 'учитель' },
    ]);
    expect(s.pupils.find((p) => p.sourceId === 'p1')).toEqual({ sourceId: 'p1', lastName: 'Иванов', firstName: 'Иван', middleName: 'Сергеевич', birthDate: '2015-03-01', sex: 'male' });
    expect(s.guardians.find((g) => g.sourceId === 'g1')).toMatchObject({ esiaOid: '1000123456', phone: '+7 912 000-00-01', sex: 'female' });
    expect(s.guardianLinks.sort((a, b) => a.sourceId.localeCompare(b.sourceId))).toEqual([
      { sourceId: 'g1:p1', guardianId: 'g1', pupilId: 'p1', relation: 'mother' },
      { sourceId: 'g2:p2', guardianId: 'g2', pupilId: 'p2', relation: 'guardian' },
    ]);
  });

  it('a homeroom class is a class; scheduled sections are subgroups of the homeroom they belong to', async () => {
    const s = (await readPackage(validPackage())).snapshot!;
    expect(s.classes).toEqual([{ sourceId: 'c5a', academicYearId: 'y2026', grade: 5, letter: 'А', name: '5А', homeroomTeacherId: 't1' }]);
    expect(s.subgroups.sort((a, b) => a.sourceId.localeCompare(b.sourceId))).toEqual([
      // Named by its classCode «5а-англ-1».
      { sourceId: 'c5a-eng1', classId: 'c5a', name: 'Английский язык, гр. 1', subjectId: 'eng' },
      { sourceId: 'c5a-math', classId: 'c5a', name: 'Математика 5А', subjectId: 'math', teacherId: 't1' },
    ]);
    const byId = Object.fromEntries(s.memberships.map((m) => [m.sourceId, m]));
    expect(byId['e-p1']).toEqual({ sourceId: 'e-p1', pupilId: 'p1', groupId: 'c5a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' });
    // No beginDate: the start of the class's term.
    expect(byId['e-p2'].startDate).toBe('2026-09-01');
    expect(byId['e-p2-math']).toMatchObject({ groupKind: 'subgroup', endDate: '2026-12-28' });
    expect(byId['e-t1']).toBeUndefined();
  });

  it('line items become works typed by category; results become five-point marks in the school’s day', async () => {
    const s = (await readPackage(validPackage())).snapshot!;
    expect(s.works.find((w) => w.sourceId === 'li-control')).toEqual({
      sourceId: 'li-control',
      groupId: 'c5a-math',
      subjectId: 'math',
      date: '2026-09-07',
      workType: 'control',
      weight: 2,
      title: 'Входная контрольная работа',
      dueDate: '2026-09-07',
    });
    expect(s.works.find((w) => w.sourceId === 'li-answer')).toMatchObject({ workType: 'lesson_answer', date: '2026-09-09', description: 'Дроби' });
    const marks = Object.fromEntries(s.marks.map((m) => [m.sourceId, m]));
    expect(marks['res-1']).toEqual({ sourceId: 'res-1', pupilId: 'p1', subjectId: 'math', groupId: 'c5a-math', kind: 'current', value: '5', date: '2026-09-07', workId: 'li-control' });
    // 19:30 UTC is already the next day in Perm (UTC+5).
    expect(marks['res-2']).toMatchObject({ value: '4', date: '2026-09-08', comment: 'Ошибка в задаче 3' });
    // 80 of 100 through the score scale.
    expect(marks['res-3'].value).toBe('4');
    expect(marks['res-4'].value).toBe('4+');
    expect(marks['res-5']).toEqual({ sourceId: 'res-5', pupilId: 'p1', subjectId: 'math', groupId: 'c5a-math', kind: 'quarter', value: '5', date: '2026-10-24', periodId: 'q1' });
  });

  it('reads the same package from a ZIP archive, and recognises OneRoster bundles', async () => {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-oneroster-zip-'));
    try {
      const zipFile = path.join(dir, 'oneroster.zip');
      await new Promise<void>((resolve) => {
        const zip = new yazl.ZipFile();
        for (const [name, t] of Object.entries(validPackage())) zip.addBuffer(Buffer.from(toCsv(t as never)), `export/${name}`);
        zip.outputStream.pipe(createWriteStream(zipFile)).on('close', () => resolve());
        zip.end();
      });
      const bundle = await openBundle(zipFile);
      expect(looksLikeOneRoster(bundle)).toBe(true);
      const result = await readOneRoster(bundle);
      await bundle.close();
      expect(result.findings).toEqual([]);
      expect(result.snapshot!.marks).toHaveLength(5);

      const plain = path.join(dir, 'plain');
      await mkdir(plain);
      await writeFile(path.join(plain, 'users.csv'), 'sourcedId\n');
      const onlyUsers = await openBundle(plain);
      expect(looksLikeOneRoster(onlyUsers)).toBe(false);
      await writeFile(path.join(plain, 'orgs.csv'), 'sourcedId\n');
      expect(looksLikeOneRoster(await openBundle(plain))).toBe(true);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('a 1.1 column in a 1.2 package is an unknown column, not read (issue 15, pt 11)', async () => {
    const pkg = validPackage();
    delete pkg['roles.csv'];
    row(pkg, 'manifest.csv', 'file.roles').value = 'absent';
    const users = table(pkg, 'users.csv');
    users.header.push('role');
    for (const [id, role] of [['t1', 'teacher'], ['p1', 'student'], ['p2', 'student'], ['g1', 'parent'], ['g2', 'guardian']]) row(pkg, 'users.csv', id).role = role;
    const result = await readPackage(pkg);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'oneroster.unknown_column', severity: 'error', file: 'users.csv', field: 'role' })]);
    // Roles then come from enrollments and agentSourcedIds, as in any package without roles.
    expect(result.snapshot!.guardianLinks.map((l) => l.relation).sort()).toEqual(['other', 'other']);
  });

  it('a district package with several schools reads the school it is told to', async () => {
    const pkg = validPackage();
    table(pkg, 'orgs.csv').rows.push({ sourcedId: 'sch-2', name: 'МАОУ «Гимназия № 2»', type: 'school', parentSourcedId: 'dist-1' });
    table(pkg, 'classes.csv').rows.push({ sourcedId: 'c6b-2', title: '6Б', courseSourcedId: 'hr', classType: 'homeroom', schoolSourcedId: 'sch-2', termSourcedIds: 'y2026' });
    const result = await readPackage(pkg, { schoolSourcedId: 'sch-1' });
    expect(result.findings).toEqual([]);
    expect(result.snapshot!.classes.map((c) => c.sourceId)).toEqual(['c5a']);
  });

  it('a delta package yields only changed records and lists tobedeleted ids', async () => {
    const pkg = validPackage();
    for (const r of table(pkg, 'manifest.csv').rows) if (r.propertyName.startsWith('file.') && r.value === 'bulk') r.value = 'absent';
    row(pkg, 'manifest.csv', 'file.orgs').value = 'bulk';
    row(pkg, 'manifest.csv', 'file.results').value = 'delta';
    row(pkg, 'manifest.csv', 'file.enrollments').value = 'delta';
    for (const name of Object.keys(pkg)) if (!['manifest.csv', 'orgs.csv', 'results.csv', 'enrollments.csv'].includes(name)) delete pkg[name];
    const stamp = '2026-09-10T08:00:00Z';
    table(pkg, 'results.csv').rows = [{ sourcedId: 'res-2', status: 'tobedeleted', dateLastModified: stamp }];
    table(pkg, 'enrollments.csv').rows = [
      { sourcedId: 'e-p2-math', status: 'tobedeleted', dateLastModified: stamp },
      { sourcedId: 'e-t1', status: 'tobedeleted', dateLastModified: stamp, role: 'teacher' },
    ];
    const result = await readPackage(pkg);
    expect(result.mode).toBe('delta');
    expect(result.deleted).toEqual({ marks: ['res-2'], memberships: ['e-p2-math'] });
    expect(codes(result)).toEqual(['oneroster.not_expressible']);
    expect(result.findings[0]).toMatchObject({ file: 'enrollments.csv', row: 2, sourceId: 'e-t1', severity: 'warning' });
    expect(result.snapshot!.school.sourceId).toBe('sch-1');
    expect(result.snapshot!.marks).toEqual([]);
  });
});
