import { loadSedizhPlatform } from '../../../src/config/sedizh-config';
import { EmulatorState, effectiveDayOf, parseMultipart, processPackage } from '../../../src/connectors/sedizh/emulator';
import { encodeXml } from '../../../src/connectors/sedizh';
import { buildPackage, parseReceipt, type PackageMapping, type PackageRecord } from '../../../src/mappers/sedizh';

const mapping = loadSedizhPlatform().mapping as PackageMapping;
const cutoff = { time: '14:00', weekdaysOnly: true };
const MORNING = new Date('2026-11-10T10:00:00+05:00');
let n = 0;
const send = (state: EmulatorState, kind: 'delta' | 'full', records: PackageRecord[], now = MORNING) => {
  const built = buildPackage({ packageId: `pkg-${++n}`, kind, schoolId: 'S1', generatedAt: now.toISOString(), sender: 'ejsync', sequence: n, records }, mapping);
  const { receipt } = processPackage(state, encodeXml(built.xml, mapping.encoding), 'file', { mapping, cutoff, now });
  const parsed = parseReceipt(receipt);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.receipt;
};
const subject = (id: string, name: string): PackageRecord => ({ entity: 'subjects', action: 'create', extId: id, fields: { name } });

describe('the emulated platform imports packages', () => {
  it('a full package is the complete state of its sections: what it leaves out is removed; a repeated package id is not applied again', () => {
    const state = new EmulatorState();
    expect(send(state, 'delta', [subject('s1', 'Математика'), subject('s2', 'Физика'), subject('s3', 'Химия')]).status).toBe('accepted');
    const full = send(state, 'full', [subject('s1', 'Алгебра'), subject('s3', 'Химия')]);
    expect(full.status).toBe('accepted');
    const names = [...state.school('S1').of('subjects').values()].map((r) => r.fields.name).sort();
    expect(names).toEqual(['Алгебра', 'Химия']);
    expect(state.writes.filter((w) => w.op === 'delete')).toHaveLength(1);

    // The same bytes again: the stored receipt, nothing applied.
    const built = buildPackage({ packageId: 'again', kind: 'delta', schoolId: 'S1', generatedAt: MORNING.toISOString(), sender: 'ejsync', sequence: 99, records: [subject('s9', 'Биология')] }, mapping);
    const first = processPackage(state, Buffer.from(built.xml), 'f', { mapping, cutoff, now: MORNING });
    const second = processPackage(state, Buffer.from(built.xml), 'f', { mapping, cutoff, now: MORNING });
    expect(second).toEqual({ ...first, replay: true });
    expect(state.writes.filter((w) => w.extId === 's9')).toHaveLength(1);
  });

  it('a package changed after it was hashed is refused whole (HASH_MISMATCH); an unreadable one is answered under its file name', () => {
    const state = new EmulatorState();
    const built = buildPackage({ packageId: 'x1', kind: 'delta', schoolId: 'S1', generatedAt: MORNING.toISOString(), sender: 'ejsync', sequence: 1, records: [subject('s1', 'Математика')] }, mapping);
    const extra = processPackage(state, Buffer.from(built.xml.replace('<Name>Математика</Name>', '<Name>Математика</Name><Colour>red</Colour>')), 'f', { mapping, cutoff, now: MORNING });
    const r1 = parseReceipt(extra.receipt);
    expect(r1.ok && r1.receipt.errors.map((e) => e.code)).toEqual(['HASH_MISMATCH']);
    const garbage = processPackage(state, Buffer.from('not xml at all'), 'upload-7', { mapping, cutoff, now: MORNING });
    const r2 = parseReceipt(garbage.receipt);
    expect(r2.ok && [r2.receipt.packageId, r2.receipt.status, r2.receipt.errors[0].code]).toEqual(['upload-7', 'rejected', 'SCHEMA_INVALID']);
    expect(state.writes).toEqual([]);
  });

  it('the cut-off: before 14:00 today, after it the next working day, at the weekend Monday', () => {
    const zone = 'Asia/Yekaterinburg';
    expect(effectiveDayOf(new Date('2026-11-10T13:59:00+05:00'), zone, cutoff)).toEqual({ today: '2026-11-10', effectiveFrom: '2026-11-10' });
    expect(effectiveDayOf(new Date('2026-11-10T14:00:00+05:00'), zone, cutoff)).toEqual({ today: '2026-11-10', effectiveFrom: '2026-11-11' });
    expect(effectiveDayOf(new Date('2026-11-13T16:00:00+05:00'), zone, cutoff).effectiveFrom).toBe('2026-11-16');
    expect(effectiveDayOf(new Date('2026-11-14T09:00:00+05:00'), zone, cutoff).effectiveFrom).toBe('2026-11-16');
    expect(effectiveDayOf(new Date('2026-11-14T09:00:00+05:00'), zone, { ...cutoff, weekdaysOnly: false }).effectiveFrom).toBe('2026-11-14');
    // 09:30 UTC is 14:30 in Perm: after the cut-off there, though before it in UTC.
    expect(effectiveDayOf(new Date('2026-11-10T09:30:00Z'), zone, cutoff).effectiveFrom).toBe('2026-11-11');
  });

  it('multipart bodies split into their parts', () => {
    const body = Buffer.from('--b1\r\nContent-Disposition: form-data; name="note"\r\n\r\nhi\r\n--b1\r\nContent-Disposition: form-data; name="package"; filename="p-1.xml"\r\nContent-Type: application/xml\r\n\r\n<a>ё</a>\r\n--b1--\r\n');
    expect(parseMultipart(body, 'b1').map((p) => [p.name, p.filename, p.data.toString()])).toEqual([
      ['note', undefined, 'hi'],
      ['package', 'p-1.xml', '<a>ё</a>'],
    ]);
  });
});
