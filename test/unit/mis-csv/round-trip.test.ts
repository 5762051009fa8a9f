import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openBundle } from '../../../src/connectors/file-bundle';
import { generateSchool } from '../../../src/connectors/demo-school';
import { createMisCsvWriter, readMisCsv } from '../../../src/connectors/mis-csv';
import { ENTITY_ORDER, SnapshotCollector } from '../../../src/model';

describe('МИС CSV: generated school → files → Snapshot', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-mis-'));
  });
  afterEach(() => rm(dir, { recursive: true, force: true }));

  it.each([
    ['utf-8', ';'],
    ['windows-1251', ','],
  ] as const)('reads back exactly what was written (%s, «%s»)', async (encoding, delimiter) => {
    const expected = new SnapshotCollector();
    await generateSchool(expected, { pupils: 120, seed: 'rt' });
    await generateSchool(await createMisCsvWriter(dir, { encoding, delimiter }), { pupils: 120, seed: 'rt' });

    const bundle = await openBundle(dir);
    const result = await readMisCsv(bundle);
    await bundle.close();
    expect(result.findings).toEqual([]);
    const want = expected.snapshot();
    expect(result.snapshot!.school).toEqual(want.school);
    for (const collection of ENTITY_ORDER) {
      expect({ collection, records: result.snapshot![collection] }).toEqual({ collection, records: want[collection] });
    }
    expect(want.marks.length).toBeGreaterThan(50);
    expect(want.attendance.length).toBeGreaterThan(5);
    const pupils = await readFile(path.join(dir, 'pupils.csv'));
    if (encoding === 'utf-8') expect([...pupils.subarray(0, 3)]).toEqual([0xef, 0xbb, 0xbf]);
    else expect(pupils.includes(Buffer.from('Иванов', 'utf8'))).toBe(false);
  });
});
