import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import { generateSchool } from '../../../src/connectors/demo-school';
import { decodeText, detectEncoding, readCsvRows } from '../../../src/connectors/file-bundle';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';
import { readSource } from '../../../src/connectors/read-source';
import { CATALOGUE, EjsyncError } from '../../../src/model';

/** What detectEncoding says of the bytes: the encoding, or the code and detail it refused them with. */
function verdict(bytes: Buffer): string {
  try {
    return detectEncoding(bytes);
  } catch (error) {
    const e = error as EjsyncError;
    return e.detail ? `${e.code}: ${e.detail}` : e.code;
  }
}

let root: string;
let utf8Dir: string;
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-encodings-'));
  utf8Dir = path.join(root, 'utf8');
  await generateSchool(await createMisCsvWriter(utf8Dir), { pupils: 60, seed: 'encodings' });
});
afterAll(() => rm(root, { recursive: true, force: true }));

/** The generated school's files, each re-encoded (BOM dropped). */
async function reencoded(encoding: string, only?: string[]): Promise<string> {
  const dir = await mkdtemp(path.join(root, `${encoding}-`));
  for (const name of await readdir(utf8Dir)) {
    const text = (await readFile(path.join(utf8Dir, name), 'utf8')).replace(/^\uFEFF/, '');
    await writeFile(path.join(dir, name), only && !only.includes(name) ? text : iconv.encode(text, encoding));
  }
  return dir;
}

describe('Windows-1251 is read, never mistaken for another encoding', () => {
  it('a whole school in Windows-1251 reads exactly as in UTF-8, without findings', async () => {
    const dir = await reencoded('windows-1251');
    const [cp1251, utf8] = await Promise.all([readSource(dir), readSource(utf8Dir)]);
    expect(cp1251.findings).toEqual([]);
    expect(cp1251.snapshot).toEqual(utf8.snapshot);
  });

  it('every Russian message and hint of the catalogue, alone, in Windows-1251 is Windows-1251', () => {
    const texts = Object.values(CATALOGUE).flatMap((e) => [e.message, e.hint]);
    expect(texts.length).toBeGreaterThan(300);
    const refused = texts.filter((t) => /[а-яё]/i.test(t) && verdict(iconv.encode(`id;text\r\n1;${t}\r\n`, 'windows-1251')) !== 'windows-1251');
    expect(refused).toEqual([]);
  });

  it('short codes alone (attendance Н/П/Б/ОП, class letters) cannot tell encodings apart: Windows-1251 is assumed', () => {
    expect(verdict(iconv.encode('id;status\n1;Н\n2;П\n3;Б\n4;ОП\n5;Б\n6;П\n', 'windows-1251'))).toBe('windows-1251');
    expect(verdict(iconv.encode('id;name\nc1;5А\nc2;5Б\nc3;42-у\n', 'windows-1251'))).toBe('windows-1251');
  });
});

describe('other encodings are refused by name, never decoded with a guess', () => {
  it.each([
    ['koi8-r', 'KOI8-R'],
    ['cp866', 'CP866 (DOS)'],
    ['iso-8859-5', 'ISO-8859-5'],
  ])('pupils.csv in %s: input.encoding_unsupported on that file, the others are read', async (encoding, label) => {
    const result = await readSource(await reencoded(encoding, ['pupils.csv']));
    const finding = result.findings.find((f) => f.file === 'pupils.csv');
    expect(finding).toEqual(expect.objectContaining({ code: 'input.encoding_unsupported', severity: 'error', message: `Кодировка файла не поддерживается: похоже на ${label}` }));
    expect(result.counts.classes).toBeGreaterThan(0);
    expect(result.counts.pupils).toBeUndefined();
  });

  it.each(['staff.csv', 'guardians.csv', 'subjects.csv', 'lessons.csv', 'school.csv', 'periods.csv'])('%s in KOI8-R is recognised as KOI8-R', async (name) => {
    const text = (await readFile(path.join(utf8Dir, name), 'utf8')).replace(/^\uFEFF/, '');
    expect(verdict(iconv.encode(text, 'koi8-r'))).toBe('input.encoding_unsupported: похоже на KOI8-R');
  });

  it('UTF-16 (Excel «Текст Юникод») is named by its byte-order mark', () => {
    expect(verdict(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id;name\r\n1;Анна\r\n', 'utf16le')]))).toBe('input.encoding_unsupported: UTF-16');
  });

  it('bytes that are no Russian text in any encoding are input.encoding_unknown', () => {
    expect(verdict(iconv.encode('id;name\n1;Müller Jürgen Straße\n2;José García\n', 'latin1'))).toBe('input.encoding_unknown');
  });
});

describe('broken bytes in a UTF-8 file', () => {
  async function read(bytes: Buffer) {
    const rows: string[] = [];
    try {
      for await (const r of readCsvRows(decodeText(Readable.from([bytes.subarray(0, 70000), bytes.subarray(70000)])))) rows.push(r.values.id);
      return { rows, error: undefined };
    } catch (error) {
      return { rows, error: error as EjsyncError };
    }
  }

  it('bytes that are not UTF-8 past the sample stop the file at their line (input.invalid_bytes), never a silent «�»', async () => {
    const lines = ['id;name', ...Array.from({ length: 9000 }, (_, i) => `${i};Пётр`)];
    const bytes = Buffer.from(`\uFEFF${lines.join('\n')}\n`);
    const at = bytes.length - 40;
    bytes[at] = 0xff;
    const { rows, error } = await read(bytes);
    expect(error?.code).toBe('input.invalid_bytes');
    const line = bytes.subarray(0, at).toString('latin1').split('\n').length;
    expect(error?.detail).toBe(`строка ${line}`);
    expect(rows.every((id, i) => id === String(i))).toBe(true);
  });

  it('a file cut in the middle of a character is input.invalid_bytes too', async () => {
    const bytes = Buffer.from('id;name\n1;Пётр\n2;Я');
    const { error } = await read(bytes.subarray(0, bytes.length - 1));
    expect(error?.code).toBe('input.invalid_bytes');
  });

  it('a NUL in the first line is a binary file; further on it is input.nul_byte with its line', () => {
    expect(verdict(Buffer.from('i\u0000d;name\n1;a\n'))).toBe('input.binary_file');
    expect(verdict(Buffer.from('id;name\n1;a\u0000\n'))).toBe('utf-8');
  });
});
