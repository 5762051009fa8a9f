import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import iconv from 'iconv-lite';
import yazl from 'yazl';
import { createWriteStream } from 'node:fs';
import { decodeText, detectDelimiter, detectEncoding, openBundle, readCsvRows } from '../../../src/connectors/file-bundle';
import { EjsyncError } from '../../../src/model';

async function rows(bytes: Buffer) {
  const out: { row: number; values: Record<string, string> }[] = [];
  const bad: number[] = [];
  for await (const r of readCsvRows(decodeText(Readable.from([bytes])), { onMalformed: (row) => bad.push(row) })) out.push(r);
  return { out, bad };
}

describe('file bundles: folders, ZIPs, encodings, CSV dialects', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-bundle-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('reads Windows-1251 with ; as Russian Excel writes it', async () => {
    const { out } = await rows(iconv.encode('id;фамилия\r\n1;Щукина\r\n2;"Ёлкин; мл."\r\n', 'windows-1251'));
    expect(out.map((r) => r.values['фамилия'])).toEqual(['Щукина', 'Ёлкин; мл.']);
  });

  it('reads UTF-8 with a BOM and , as separator', async () => {
    const { out } = await rows(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from('id,name\n1,Пётр\n')]));
    expect(out).toEqual([{ row: 1, values: { id: '1', name: 'Пётр' } }]);
  });

  it('a row with the wrong number of fields is reported and skipped; the rest is read', async () => {
    const { out, bad } = await rows(Buffer.from('id;name\n1;a\n2;b;extra\n3;c\n'));
    expect(out.map((r) => r.values.id)).toEqual(['1', '3']);
    expect(bad).toEqual([2]);
  });

  it('detects the delimiter outside quotes', () => {
    expect(detectDelimiter('"a,b";c;d')).toBe(';');
    expect(detectDelimiter('a,b,"c;d"')).toBe(',');
  });

  it('binary data is input.binary_file; undecodable text is input.encoding_unknown', () => {
    const binary = Buffer.alloc(1024, 0);
    expect(() => detectEncoding(binary)).toThrow(expect.objectContaining({ code: 'input.binary_file' }));
    const latin1 = Buffer.from([0x61, 0xe9, 0x62, 0xfc, 0x63, 0x80, 0x81, 0x82]);
    expect(() => detectEncoding(latin1)).toThrow(expect.objectContaining({ code: 'input.encoding_unknown' }));
  });

  it('a 10 MB random file named .csv fails decoding as a stream error with a code', async () => {
    const random = Buffer.alloc(10 * 1024 * 1024);
    for (let i = 0; i < random.length; i++) random[i] = (i * 2654435761) >>> 24;
    const error = await rows(random).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EjsyncError);
    expect(['input.binary_file', 'input.encoding_unknown']).toContain((error as EjsyncError).code);
  });

  it('opens folders and ZIPs alike; names are found case-insensitively', async () => {
    writeFileSync(path.join(dir, 'Pupils.csv'), 'id\n1\n');
    const folder = await openBundle(dir);
    expect(folder.kind).toBe('folder');
    expect(folder.find('pupils.csv')?.name).toBe('Pupils.csv');
    const zipFile = path.join(dir, 'export.zip');
    await new Promise<void>((resolve) => {
      const zip = new yazl.ZipFile();
      zip.addBuffer(Buffer.from('id\n1\n'), 'school-1/classes.csv');
      zip.outputStream.pipe(createWriteStream(zipFile)).on('close', () => resolve());
      zip.end();
    });
    const bundle = await openBundle(zipFile);
    expect(bundle.kind).toBe('zip');
    const entry = bundle.find('classes.csv')!;
    const { out } = await (async () => {
      const got: unknown[] = [];
      for await (const r of readCsvRows(decodeText(await bundle.open(entry)))) got.push(r);
      return { out: got };
    })();
    expect(out).toEqual([{ row: 1, values: { id: '1' } }]);
    await bundle.close();
  });

  it('a missing path is input.not_found; a broken archive is input.broken_zip', async () => {
    await expect(openBundle(path.join(dir, 'nope'))).rejects.toMatchObject({ code: 'input.not_found' });
    const broken = path.join(dir, 'broken.zip');
    writeFileSync(broken, Buffer.concat([Buffer.from([0x50, 0x4b, 0x03, 0x04]), Buffer.alloc(100, 1)]));
    await expect(openBundle(broken)).rejects.toMatchObject({ code: 'input.broken_zip' });
  });
});
