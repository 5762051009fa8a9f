import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSchool } from '../../../src/connectors/demo-school';
import { openBundle } from '../../../src/connectors/file-bundle';
import { createOneRosterWriter, readOneRoster } from '../../../src/connectors/oneroster';
import { categoryMeaning } from '../../../src/connectors/oneroster/category-meaning';
import { MARK_CATEGORY_TITLES, WORK_CATEGORY_TITLES } from '../../../src/connectors/oneroster/writer-labels';
import { SnapshotCollector, type SourceReadResult, type WorkType } from '../../../src/model';

const OPTIONS = { pupils: 150, seed: 'oneroster-writer', weeks: 2 };
const COUNTED = ['pupils', 'staff', 'guardians', 'classes', 'subgroups', 'memberships', 'works', 'marks'] as const;

async function readBack(dir: string): Promise<SourceReadResult> {
  const bundle = await openBundle(dir);
  try {
    return await readOneRoster(bundle);
  } finally {
    await bundle.close();
  }
}

async function filesOf(dir: string): Promise<Map<string, Buffer>> {
  const out = new Map<string, Buffer>();
  for (const name of (await readdir(dir)).sort()) out.set(name, await readFile(path.join(dir, name)));
  return out;
}

describe('OneRoster 1.2 CSV writer: generated school → package → Snapshot', () => {
  let root: string;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-oneroster-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('reads back with no error findings and the same counts', async () => {
    const expected = new SnapshotCollector();
    await generateSchool(expected, OPTIONS);
    const want = expected.snapshot();
    const dir = path.join(root, 'package');
    await generateSchool(await createOneRosterWriter(dir), OPTIONS);

    const result = await readBack(dir);
    expect(result.findings.filter((f) => f.severity === 'error')).toEqual([]);
    // Nothing the generator makes is lost silently either: no warnings at all.
    expect(result.findings).toEqual([]);
    expect(result.mode).toBe('full');
    const got = result.snapshot!;
    // shortName, inn, region and municipality travel in orgs.csv's metadata.ejsync column.
    expect(got.school).toEqual(want.school);
    for (const collection of COUNTED) {
      expect({ collection, count: got[collection].length }).toEqual({ collection, count: want[collection].length });
    }
    expect(want.marks.length).toBeGreaterThan(50);
    expect(got.guardianLinks).toHaveLength(want.guardianLinks.length);
    expect(got.academicYears).toEqual(want.academicYears);
    expect(got.periods.map((p) => [p.sourceId, p.kind, p.number, p.name])).toEqual(want.periods.map((p) => [p.sourceId, p.kind, p.number, p.name]));

    // Records keep their ids and the fields OneRoster carries.
    const pupil = want.pupils[0];
    expect(got.pupils.find((p) => p.sourceId === pupil.sourceId)).toEqual(pupil);
    const byId = <T extends { sourceId: string }>(list: T[]) => new Map(list.map((r) => [r.sourceId, r]));
    const works = byId(got.works);
    for (const w of want.works) expect(works.get(w.sourceId)).toMatchObject({ groupId: w.groupId, date: w.date, workType: w.workType, weight: w.weight, title: w.title });
    const marks = byId(got.marks);
    for (const m of want.marks) expect(marks.get(m.sourceId)).toMatchObject({ pupilId: m.pupilId, groupId: m.groupId, workId: m.workId, value: m.value, date: m.date, kind: 'current' });
    expect(new Set(got.classes.map((c) => `${c.sourceId} ${c.name} ${c.homeroomTeacherId}`))).toEqual(new Set(want.classes.map((c) => `${c.sourceId} ${c.name} ${c.homeroomTeacherId}`)));
    expect(new Set(got.subgroups.map((g) => `${g.sourceId} ${g.classId} ${g.subjectId} ${g.teacherId}`))).toEqual(new Set(want.subgroups.map((g) => `${g.sourceId} ${g.classId} ${g.subjectId} ${g.teacherId}`)));
    expect(new Set(got.guardianLinks.map((l) => `${l.guardianId} ${l.pupilId} ${l.relation}`))).toEqual(new Set(want.guardianLinks.map((l) => `${l.guardianId} ${l.pupilId} ${l.relation}`)));

    const manifest = (await readFile(path.join(dir, 'manifest.csv'), 'utf8')).split('\r\n');
    expect(manifest.slice(0, 3)).toEqual(['propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.2']);
    const users = await readFile(path.join(dir, 'users.csv'));
    expect(users[0]).toBe('s'.charCodeAt(0)); // no BOM
  });

  it('writes byte-identical files for the same input', async () => {
    const a = path.join(root, 'a');
    const b = path.join(root, 'b');
    await generateSchool(await createOneRosterWriter(a), OPTIONS);
    await generateSchool(await createOneRosterWriter(b), OPTIONS);
    const [fa, fb] = [await filesOf(a), await filesOf(b)];
    expect([...fa.keys()]).toEqual([...fb.keys()]);
    expect([...fa.keys()]).toEqual(
      ['academicSessions', 'categories', 'classes', 'courses', 'demographics', 'enrollments', 'lineItems', 'manifest', 'orgs', 'results', 'roles', 'users'].map((f) => `${f}.csv`),
    );
    for (const [name, bytes] of fa) expect({ name, same: bytes.equals(fb.get(name)!) }).toEqual({ name, same: true });
  });

  it('writes an empty school as a readable package', async () => {
    const dir = path.join(root, 'empty');
    const sink = await createOneRosterWriter(dir);
    await sink.school({ sourceId: 's1', name: 'Школа № 1', timeZone: 'Europe/Moscow' });
    await sink.add('academicYears', { sourceId: 'y', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' });
    await sink.close();
    const result = await readBack(dir);
    expect(result.findings).toEqual([]);
    expect(result.snapshot!.academicYears).toHaveLength(1);
    expect(await readFile(path.join(dir, 'results.csv'), 'utf8')).toBe(
      'sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,classSourcedId,scoreScaleSourcedId,scoreStatus,score,textScore,scoreDate,comment,inProgress,incomplete,late,missing,learningObjectiveSet,metadata.ejsync\r\n',
    );
  });

  it('carries period marks, text marks and sessions of every kind', async () => {
    const dir = path.join(root, 'periods');
    const sink = await createOneRosterWriter(dir);
    await sink.school({ sourceId: 's1', name: 'Школа № 1', timeZone: 'Europe/Moscow' });
    // A work before its year and class: it waits for close.
    await sink.add('works', { sourceId: 'w1', groupId: 'c5a', subjectId: 'math', date: '2026-09-10', workType: 'test', weight: 2 });
    await sink.add('academicYears', { sourceId: 'y', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' });
    for (const [id, n] of [['t1', 1], ['t2', 2], ['t3', 3]] as const) {
      await sink.add('periods', { sourceId: id, academicYearId: 'y', kind: 'trimester', number: n, name: `Период ${n}`, startDate: `2026-0${n + 6}-01`, endDate: `2026-0${n + 6}-28`, grades: [5], closed: false });
    }
    await sink.add('periods', { sourceId: 'q1', academicYearId: 'y', kind: 'quarter', number: 1, name: 'I четверть', startDate: '2026-09-01', endDate: '2026-10-24', grades: [5], closed: false });
    await sink.add('periods', { sourceId: 'yr', academicYearId: 'y', kind: 'year', number: 1, name: 'Год', startDate: '2026-09-01', endDate: '2027-05-31', grades: [5], closed: false });
    await sink.add('subjects', { sourceId: 'math', name: 'Математика' });
    await sink.add('staff', { sourceId: 't', lastName: 'Учителева', firstName: 'Анна', position: 'учитель' });
    await sink.add('classes', { sourceId: 'c5a', academicYearId: 'y', grade: 5, letter: 'А', name: '5А', homeroomTeacherId: 't' });
    await sink.add('pupils', { sourceId: 'p', lastName: 'Иванов', firstName: 'Иван', birthDate: '2015-03-01', sex: 'male' });
    // Also a parent: one user, two roles.
    await sink.add('guardians', { sourceId: 't', lastName: 'Учителева', firstName: 'Анна' });
    await sink.add('guardians', { sourceId: 'g', lastName: 'Иванов', firstName: 'Пётр', sex: 'male' });
    await sink.add('guardianLinks', { sourceId: 'l1', guardianId: 't', pupilId: 'p', relation: 'guardian' });
    await sink.add('guardianLinks', { sourceId: 'l2', guardianId: 'g', pupilId: 'p', relation: 'other' });
    await sink.add('memberships', { sourceId: 'm', pupilId: 'p', groupId: 'c5a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' });
    await sink.add('marks', { sourceId: 'mk1', pupilId: 'p', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '4-', date: '2026-09-10', workId: 'w1' });
    await sink.add('marks', { sourceId: 'mk2', pupilId: 'p', subjectId: 'math', groupId: 'c5a', kind: 'quarter', value: '5', date: '2026-10-24', periodId: 'q1' });
    await sink.add('marks', { sourceId: 'mk3', pupilId: 'p', subjectId: 'math', groupId: 'c5a', kind: 'year', value: 'осв', date: '2027-05-31' });
    await sink.close();

    const result = await readBack(dir);
    expect(result.findings).toEqual([]);
    const s = result.snapshot!;
    expect(s.periods.map((p) => [p.sourceId, p.kind, p.number])).toEqual([
      ['t1', 'trimester', 1],
      ['t2', 'trimester', 2],
      ['t3', 'trimester', 3],
      ['q1', 'quarter', 1],
      ['yr', 'year', 1],
    ]);
    expect(s.staff.map((p) => p.sourceId)).toEqual(['t']);
    expect(s.guardians.map((p) => p.sourceId).sort()).toEqual(['g', 't']);
    expect(s.guardianLinks.map((l) => [l.guardianId, l.relation]).sort()).toEqual([
      ['g', 'other'],
      ['t', 'guardian'],
    ]);
    // The line item's title is the category's («Тест»), but the work had none: metadata.ejsync says so.
    expect(s.works).toEqual([{ sourceId: 'w1', groupId: 'c5a', subjectId: 'math', date: '2026-09-10', workType: 'test', weight: 2 }]);
    expect(s.marks.map((m) => [m.sourceId, m.kind, m.value, m.periodId])).toEqual([
      ['mk1', 'current', '4-', undefined],
      ['mk2', 'quarter', '5', 'q1'],
      ['mk3', 'year', 'осв', undefined],
    ]);
  });

  it('needs the school before the records that name it', async () => {
    const sink = await createOneRosterWriter(path.join(root, 'no-school'));
    expect(() => sink.add('memberships', { sourceId: 'm', pupilId: 'p', groupId: 'c', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' })).toThrow(/school/);
    await expect(sink.close()).rejects.toThrow(/school/);
  });

  it('gives every category a title the reader maps back', () => {
    for (const [type, title] of Object.entries(WORK_CATEGORY_TITLES)) expect(categoryMeaning(title)).toEqual({ work: type as WorkType });
    for (const [kind, title] of Object.entries(MARK_CATEGORY_TITLES)) expect(categoryMeaning(title)).toEqual({ markKind: kind });
  });
});
