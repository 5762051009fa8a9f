import { readFileSync } from 'node:fs';
import path from 'node:path';
import { validateXML } from 'xmllint-wasm';
import { generateSchool } from '../../../src/connectors/demo-school';
import { loadSedizhPlatform } from '../../../src/config/sedizh-config';
import { SnapshotCollector } from '../../../src/model';
import { buildPackage, recordsOfSnapshot, type PackageMapping, type PackageRecord } from '../../../src/mappers/sedizh';

const XSD = readFileSync(path.join(__dirname, '..', '..', '..', 'docs', 'formats', 'sedizh-package.xsd'), 'utf8');
const mapping = loadSedizhPlatform().mapping as PackageMapping;

async function xsdErrors(xml: string): Promise<string[]> {
  const result = await validateXML({ xml: [{ fileName: 'package.xml', contents: xml }], schema: [{ fileName: 'sedizh-package.xsd', contents: XSD }] });
  return result.valid ? [] : result.errors.map((e) => e.rawMessage);
}

const header = { schoolId: '5900000001', generatedAt: '2026-11-13T10:00:00+05:00', sender: 'ejsync', sequence: 7 };

describe('generated packages validate against docs/formats/sedizh-package.xsd (xmllint)', () => {
  it('a full package of the whole generated school', async () => {
    const c = new SnapshotCollector();
    await generateSchool(c, { pupils: 40, seed: 'xsd', weeks: 1 });
    const built = buildPackage({ ...header, packageId: 'full-xsd', kind: 'full', records: recordsOfSnapshot(c.snapshot(), mapping) }, mapping);
    expect(built.written.length).toBeGreaterThan(1000);
    expect(await xsdErrors(built.xml)).toEqual([]);
  });

  it('a delta with creates, updates, deletes and an export record with its effective day', async () => {
    const records: PackageRecord[] = [
      { entity: 'attendance', action: 'create', extId: 'a1', fields: { pupilId: '100001', lessonId: '100002', status: 'ill' } },
      { entity: 'marks', action: 'update', id: '100010', extId: 'm1', fields: { pupilId: '100001', subjectId: '5', groupId: '7', kind: 'current', value: '4-', date: '2026-11-10', workId: '9' } },
      { entity: 'pupils', action: 'delete', id: '100003', extId: 'p3', fields: {} },
      { entity: 'memberships', action: 'create', id: '100004', extId: 'ms1', effectiveFrom: '2026-11-16', fields: { pupilId: '100001', groupId: '7', groupKind: 'class', startDate: '2026-09-01', reason: 'transferred', orderNumber: '12-к', orderDate: '2026-08-30' } },
    ];
    const built = buildPackage({ ...header, packageId: 'delta-xsd', kind: 'delta', periodFrom: '2026-09-01', periodTo: '2026-11-10', records }, mapping);
    expect(built.rejected).toEqual([]);
    expect(await xsdErrors(built.xml)).toEqual([]);
  });

  it('the schema refuses what the format does not allow (an attendance code, a kind, a hash)', async () => {
    const built = buildPackage({ ...header, packageId: 'bad', kind: 'delta', records: [{ entity: 'attendance', action: 'create', extId: 'a1', fields: { pupilId: '1', lessonId: '2', status: 'absent' } }] }, mapping);
    const wrongCode = built.xml.replace('code="Н"', 'code="X"');
    expect((await xsdErrors(wrongCode)).join('\n')).toMatch(/code/);
    expect((await xsdErrors(built.xml.replace('<Kind>delta</Kind>', '<Kind>patch</Kind>'))).join('\n')).toMatch(/Kind/);
    expect((await xsdErrors(built.xml.replace(/<ContentHash algorithm="SHA-256">[0-9a-f]+/, '<ContentHash algorithm="SHA-256">xyz'))).join('\n')).toMatch(/ContentHash/);
  });
});
