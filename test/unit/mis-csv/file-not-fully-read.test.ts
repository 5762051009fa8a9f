import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import iconv from 'iconv-lite';
import { generateSchool } from '../../../src/connectors/demo-school';
import type { InputLimits } from '../../../src/connectors/file-bundle';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';
import { readSource } from '../../../src/connectors/read-source';
import { sourceGapsOf } from '../../../src/reconcile';

/**
 * A limit that stops a file part-way (or before it starts) is an error finding naming that file,
 * so the planner takes its collection as incomplete: its records are unknown, never deleted.
 */
let root: string;
let clean: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-partial-'));
  clean = path.join(root, 'clean');
  await generateSchool(await createMisCsvWriter(clean), { pupils: 40, seed: 'partial' });
});
afterAll(() => rm(root, { recursive: true, force: true }));

type Change = (bytes: Buffer) => Buffer;
const utf8 = (bytes: Buffer) => bytes.toString('utf8').replace(/^\uFEFF/, '');
/** Puts `insert` at the start of the data line `line` (2 = the first data line). */
const atLine = (line: number, insert: Buffer): Change => (bytes) => {
  let at = 0;
  for (let n = 1; n < line; n++) at = bytes.indexOf(0x0a, at) + 1;
  return Buffer.concat([bytes.subarray(0, at), insert, bytes.subarray(at)]);
};

// Every row has its limits: jest takes a test function with more parameters than the row for one waiting for `done`.
const cases: [code: string, file: string, change: Change, limits: Partial<InputLimits>][] = [
  ['input.nul_byte', 'marks.csv', atLine(300, Buffer.from([0x00])), {}],
  ['input.line_too_long', 'marks.csv', atLine(300, Buffer.alloc(2 * 1024 * 1024, 0x61)), {}],
  ['input.too_many_columns', 'marks.csv', (b) => Buffer.concat([Buffer.from(`${'x;'.repeat(300)}`), b]), {}],
  ['input.too_large', 'marks.csv', (b) => b, { maxFileBytes: 10_000 }],
  ['input.invalid_bytes', 'marks.csv', atLine(300, Buffer.from([0xff, 0xfe])), {}],
  ['input.encoding_unsupported', 'pupils.csv', (b) => iconv.encode(utf8(b), 'koi8-r'), {}],
  ['input.encoding_unknown', 'pupils.csv', (b) => iconv.encode(utf8(b).replace(/[А-Яа-яЁё]+/g, 'Jürgen'), 'latin1'), {}],
  ['input.binary_file', 'marks.csv', (b) => Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04, 0x00]), b]), {}],
];

describe('a file a limit stops is an error finding on that file, and its collection is incomplete', () => {
  it.each(cases)('%s (%s)', async (code, file, change, limits) => {
    const dir = path.join(root, `${code}-${file}`);
    await cp(clean, dir, { recursive: true });
    await writeFile(path.join(dir, file), change(await readFile(path.join(dir, file))));
    const result = await readSource(dir, { limits });
    const finding = result.findings.find((f) => f.code === code && f.file === file);
    expect(finding).toEqual(expect.objectContaining({ severity: 'error', file }));
    expect(finding!.message).toMatch(/[А-Яа-яЁё]/);
    expect(finding!.hint).toMatch(/[А-Яа-яЁё]/);
    const entity = file === 'marks.csv' ? 'marks' : 'pupils';
    expect(result.counts.classes).toBeGreaterThan(0);
    expect(sourceGapsOf(result).incomplete.has(entity)).toBe(true);
    expect(sourceGapsOf(result).incomplete.has('classes')).toBe(false);
  });
});
