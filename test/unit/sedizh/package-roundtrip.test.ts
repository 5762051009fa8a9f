import { generateSchool } from '../../../src/connectors/demo-school';
import { loadSedizhPlatform } from '../../../src/config/sedizh-config';
import { ENTITY_ORDER, ENTITY_SCHEMAS, SnapshotCollector, type Snapshot } from '../../../src/model';
import { buildPackage, parsePackage, recordsOfSnapshot, snapshotFromPackage, type PackageMapping } from '../../../src/mappers/sedizh';

/** The generated school as the model's schemas parse it (defaults filled), as a platform read returns it. */
function canonical(s: Snapshot): Snapshot {
  const out = { ...s } as Snapshot;
  for (const e of ENTITY_ORDER) (out[e] as unknown[]) = s[e].map((r) => ENTITY_SCHEMAS[e].parse(r));
  return out;
}

export async function generatedSchool(pupils = 60): Promise<Snapshot> {
  const c = new SnapshotCollector();
  await generateSchool(c, { pupils, seed: 'sedizh', weeks: 1 });
  return c.snapshot();
}

export const defaultMapping = (): PackageMapping => loadSedizhPlatform().mapping as PackageMapping;

describe('Snapshot → package XML → Snapshot (default mapping)', () => {
  it('round-trips every collection of the generated school with no loss', async () => {
    const school = await generatedSchool();
    const mapping = defaultMapping();
    const built = buildPackage(
      { packageId: 'full-1', kind: 'full', schoolId: school.school.sourceId, generatedAt: '2026-11-09T10:00:00+05:00', sender: 'ejsync', sequence: 1, records: recordsOfSnapshot(school, mapping) },
      mapping,
    );
    expect(built.rejected).toEqual([]);
    const parsed = parsePackage(built.xml, mapping, { strict: true });
    expect(parsed.problems).toEqual([]);
    expect(parsed.header).toMatchObject({ packageId: 'full-1', kind: 'full', sequence: 1, recordCount: built.written.length });
    const back = snapshotFromPackage(parsed, school.school);
    expect(back.findings).toEqual([]);
    const expected = canonical(school);
    for (const e of ENTITY_ORDER) {
      expect(back.snapshot[e].length).toBe(expected[e].length);
      expect(back.snapshot[e]).toEqual(expected[e]);
    }
    // Every collection of the school is in the package (nothing silently left out).
    expect(ENTITY_ORDER.filter((e) => expected[e].length > 0).every((e) => back.snapshot[e].length > 0)).toBe(true);
  });
});
