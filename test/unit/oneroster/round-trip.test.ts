import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSchool } from '../../../src/connectors/demo-school';
import { createOneRosterWriter } from '../../../src/connectors/oneroster';
import { readSource } from '../../../src/connectors/read-source';
import { SnapshotCollector, type EntityCollection, type Snapshot } from '../../../src/model';
import { runSanityChecks } from '../../../src/reconcile/sanity';
import { readPackage, row, table, validPackage } from './helpers/oneroster-fixture';

/** What OneRoster has no file for (docs/formats/oneroster.md, «What a package does not carry»). */
const NOT_CARRIED: EntityCollection[] = ['holidays', 'bellSchedule', 'timetable', 'lessons', 'attendance'];

const sorted = <T extends { sourceId: string }>(list: T[]): T[] => [...list].sort((a, b) => a.sourceId.localeCompare(b.sourceId));

describe('Snapshot → OneRoster 1.2 → Snapshot on the generated school', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-oneroster-rt-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('gives back the same Snapshot, every record deep-equal, with no findings', async () => {
    const options = { pupils: 300, seed: 'round-trip', weeks: 2 };
    const collector = new SnapshotCollector();
    await generateSchool(collector, options);
    const want = collector.snapshot();
    const dir = path.join(root, 'bundle');
    await generateSchool(await createOneRosterWriter(dir), options);

    const read = await readSource(dir);
    expect(read.format).toBe('oneroster');
    expect(read.findings).toEqual([]);
    const got = read.snapshot!;
    expect(got.school).toEqual(want.school);
    for (const collection of Object.keys(want) as (keyof Snapshot)[]) {
      if (collection === 'school' || NOT_CARRIED.includes(collection)) continue;
      const w = want[collection] as { sourceId: string }[];
      expect({ collection, records: sorted(got[collection] as { sourceId: string }[]) }).toEqual({ collection, records: sorted(w) });
    }
    for (const collection of NOT_CARRIED) expect({ collection, n: got[collection].length }).toEqual({ collection, n: 0 });
    expect(want.works.length).toBeGreaterThan(100);
    // A work of a homeroom class keeps its subject: none is «Классный час», every subject is taught.
    expect(new Set(got.works.map((w) => w.subjectId)).size).toBeGreaterThan(5);
    expect(got.subjects.some((s) => s.name === 'Классный час')).toBe(false);
    expect(runSanityChecks(got).filter((f) => f.code === 'sanity.subject_not_taught')).toEqual([]);
  });
});

describe('metadata.ejsync read from a package', () => {
  it('an unreadable cell is reported once and the row is read by its standard columns', async () => {
    const pkg = validPackage();
    table(pkg, 'courses.csv').header.push('metadata.ejsync');
    row(pkg, 'courses.csv', 'math')['metadata.ejsync'] = '{"subjects":{"shortName":"Мат.';
    row(pkg, 'courses.csv', 'eng')['metadata.ejsync'] = '{"subjects":{"shortName":"Англ."}}';
    const result = await readPackage(pkg);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'oneroster.invalid_value', file: 'courses.csv', field: 'metadata.ejsync', sourceId: 'math' })]);
    const subjects = new Map(result.snapshot!.subjects.map((s) => [s.sourceId, s]));
    expect(subjects.get('math')).toEqual({ sourceId: 'math', name: expect.any(String) });
    expect(subjects.get('eng')).toMatchObject({ shortName: 'Англ.' });
  });
});
