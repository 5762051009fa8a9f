import { randomBytes } from 'node:crypto';
import { mkdir, mkdtemp, readFile, rm, unlink, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSchool } from '../../../src/connectors/demo-school';
import { createMisCsvWriter, createMisJsonWriter, readMisJson } from '../../../src/connectors/mis-csv';
import { readSource } from '../../../src/connectors/read-source';

let root: string;
let dir: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-broken-'));
});
afterAll(() => rm(root, { recursive: true, force: true }));
beforeEach(async () => {
  dir = await mkdtemp(path.join(root, 'school-'));
  await generateSchool(await createMisCsvWriter(dir), { pupils: 40, seed: 'broken' });
});

async function edit(file: string, change: (text: string) => string): Promise<void> {
  const full = path.join(dir, file);
  await writeFile(full, change(await readFile(full, 'utf8')));
}
const codes = async (target = dir) => (await readSource(target)).findings.map((f) => f.code);

describe('a clean generated school', () => {
  it('reads with no findings at all', async () => {
    const result = await readSource(dir);
    expect(result.format).toBe('mis-csv');
    expect(result.findings).toEqual([]);
    expect(result.counts.pupils).toBe(40);
  });
});

describe('unreadable inputs: one clear finding, no snapshot', () => {
  it.each([
    ['input.not_found', async () => path.join(root, 'nope')],
    ['input.empty', async () => mkdtemp(path.join(root, 'empty-'))],
    [
      'input.unknown_format',
      async () => {
        const d = await mkdtemp(path.join(root, 'other-'));
        await writeFile(path.join(d, 'readme.txt'), 'привет');
        return d;
      },
    ],
    [
      'input.binary_file',
      async () => {
        const f = path.join(root, 'blob.bin');
        await writeFile(f, Buffer.concat([Buffer.from([0x7f, 0x45, 0x4c, 0x46, 0]), randomBytes(10 * 1024 * 1024)]));
        return f;
      },
    ],
    [
      'input.broken_zip',
      async () => {
        const f = path.join(root, 'export.zip');
        await writeFile(f, Buffer.concat([Buffer.from('PK\u0003\u0004'), randomBytes(2048)]));
        return f;
      },
    ],
    [
      'input.invalid_json',
      async () => {
        const f = path.join(root, 'school.json');
        await writeFile(f, '{"school": {"id": "1",');
        return f;
      },
    ],
  ])('%s', async (code, make) => {
    const result = await readSource(await make());
    expect(result.snapshot).toBeNull();
    expect(result.findings.map((f) => f.code)).toEqual([code]);
    expect(result.findings[0].message.length).toBeGreaterThan(5);
    expect(result.findings[0].hint.length).toBeGreaterThan(5);
  });

  it('input.too_large: a JSON document above the limit is refused before parsing', async () => {
    const f = path.join(root, 'big.json');
    await writeFile(f, JSON.stringify({ format: 'ejsync-mis', pad: 'x'.repeat(5000) }));
    const result = await readMisJson(f, { maxBytes: 1000 });
    expect(result.findings.map((x) => x.code)).toEqual(['input.too_large']);
  });
});

describe('broken МИС CSV files', () => {
  it('input.binary_file: a binary pupils.csv is one finding on that file, the rest is read', async () => {
    await writeFile(path.join(dir, 'pupils.csv'), Buffer.concat([Buffer.from([0, 1, 2, 3]), randomBytes(4096)]));
    const result = await readSource(dir);
    expect(result.findings.filter((f) => f.code === 'input.binary_file')).toEqual([expect.objectContaining({ file: 'pupils.csv' })]);
    expect(result.counts.classes).toBeGreaterThan(0);
  });

  it('input.encoding_unknown: bytes that are neither UTF-8 nor Windows-1251 text', async () => {
    const junk = Buffer.alloc(300);
    for (let i = 0; i < junk.length; i++) junk[i] = i % 2 ? 0x41 : 0x80 + (i % 0x30);
    await writeFile(path.join(dir, 'subjects.csv'), Buffer.concat([Buffer.from('id;name\n'), junk]));
    expect(await codes()).toContain('input.encoding_unknown');
  });

  it('mis.school_missing: no school.csv', async () => {
    await unlink(path.join(dir, 'school.csv'));
    const result = await readSource(dir);
    expect(result.findings.map((f) => f.code)).toContain('mis.school_missing');
    expect(result.snapshot).toBeNull();
  });

  it('mis.missing_file: no classes.csv', async () => {
    await unlink(path.join(dir, 'classes.csv'));
    expect(await codes()).toContain('mis.missing_file');
  });

  it('mis.unknown_file: an extra CSV is reported and skipped', async () => {
    await writeFile(path.join(dir, 'pupils-old.csv'), 'id;x\n1;2\n');
    expect(await codes()).toEqual(['mis.unknown_file']);
  });

  it('mis.missing_column: pupils.csv without last_name', async () => {
    await edit('pupils.csv', (t) => t.replace('last_name', 'surname'));
    const result = await readSource(dir);
    expect(result.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'mis.missing_column', file: 'pupils.csv', field: 'last_name' }), expect.objectContaining({ code: 'mis.unknown_column', field: 'surname' })]));
  });

  it('mis.malformed_row: an unbalanced quote loses only its row', async () => {
    await edit('subjects.csv', (t) => t.replace('\r\nsubj-lit;', '\r\n"subj-lit;'));
    const result = await readSource(dir);
    expect(result.findings.map((f) => f.code)).toContain('mis.malformed_row');
  });

  it('mis.invalid_value: a class grade that is not a number', async () => {
    await edit('classes.csv', (t) => t.replace(/\r\nc011;y2026;1;/, '\r\nc011;y2026;первый;'));
    const result = await readSource(dir);
    expect(result.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'mis.invalid_value', file: 'classes.csv', row: 1, field: 'grade' })]));
  });

  it('mis.missing_value: an empty first name', async () => {
    await edit('pupils.csv', (t) => t.replace(/\r\n(p000001;[^;]*);[^;]*;/, '\r\n$1;;'));
    const result = await readSource(dir);
    expect(result.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'mis.missing_value', row: 1, field: 'first_name' })]));
  });

  it('mis.duplicate_source_id: the same subject twice', async () => {
    await edit('subjects.csv', (t) => t + 'subj-rus;Русский язык (дубль);;\r\n');
    expect(await codes()).toEqual(['mis.duplicate_source_id']);
  });

  it('mis.unknown_reference: a membership of a pupil who is not in the export', async () => {
    await edit('memberships.csv', (t) => t.replace(/\r\nm-p000001;p000001;/, '\r\nm-p000001;p999999;'));
    const result = await readSource(dir);
    expect(result.findings).toEqual(expect.arrayContaining([expect.objectContaining({ code: 'mis.unknown_reference', sourceId: 'm-p000001', field: 'pupil_id' })]));
  });

  it('mis.invalid_snils: a wrong checksum', async () => {
    await edit('staff.csv', (t) => t.replace(/(\r\nt0001;(?:[^;]*;){5})(\d{9})(\d{2})/, (_m, a, b, c) => `${a}${b}${String((Number(c) + 1) % 100).padStart(2, '0')}`));
    const result = await readSource(dir);
    expect(result.findings).toEqual([expect.objectContaining({ code: 'mis.invalid_snils', file: 'staff.csv', row: 1, field: 'snils' })]);
  });

  it('mis.unknown_mark_value: a six', async () => {
    await edit('marks.csv', (t) => t.replace(/;current;[^;]+;/, ';current;6;'));
    const result = await readSource(dir);
    expect(result.findings.map((f) => f.code)).toEqual(['mis.unknown_mark_value']);
  });

  it('mis.unknown_attendance_code: «Х»', async () => {
    await edit('attendance.csv', (t) => t.replace(/;(Б|П|Н|ОП);/, ';Х;'));
    expect(await codes()).toEqual(['mis.unknown_attendance_code']);
  });
});

describe('МИС JSON', () => {
  it('the same school as one JSON document reads without findings, and a bad record is found in it', async () => {
    const file = path.join(root, 'school-doc.json');
    await generateSchool(createMisJsonWriter(file), { pupils: 40, seed: 'broken' });
    const clean = await readSource(file);
    expect(clean.format).toBe('mis-json');
    expect(clean.findings).toEqual([]);
    const csv = await readSource(dir);
    expect(clean.snapshot).toEqual(csv.snapshot);

    const doc = JSON.parse(await readFile(file, 'utf8'));
    doc.pupils[2].birth_date = '31.02.2015';
    await writeFile(file, JSON.stringify(doc));
    const broken = await readSource(file);
    expect(broken.findings[0]).toEqual(expect.objectContaining({ code: 'mis.invalid_value', file: 'school-doc.json → pupils', row: 3, field: 'birth_date' }));
    // Records that point at the left-out pupil are left out too, each with its own finding.
    for (const f of broken.findings.slice(1)) expect(f).toEqual(expect.objectContaining({ code: 'mis.unknown_reference', message: expect.stringContaining(doc.pupils[2].id) }));
  });
});
