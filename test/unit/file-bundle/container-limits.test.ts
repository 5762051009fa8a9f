import { createWriteStream } from 'node:fs';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yazl from 'yazl';
import { generateSchool } from '../../../src/connectors/demo-school';
import { DEFAULT_INPUT_LIMITS, formatBytes, openBundle } from '../../../src/connectors/file-bundle';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';
import { readSource } from '../../../src/connectors/read-source';

let root: string;
let school: string;
let files: [string, Buffer][];
beforeAll(async () => {
  root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-container-'));
  school = path.join(root, 'school');
  await generateSchool(await createMisCsvWriter(school), { pupils: 30, seed: 'container' });
  files = await Promise.all((await readdir(school)).map(async (n) => [n, await readFile(path.join(school, n))] as [string, Buffer]));
});
afterAll(() => rm(root, { recursive: true, force: true }));

let zips = 0;
function zip(entries: [string, Buffer][]): Promise<string> {
  const file = path.join(root, `export-${++zips}.zip`);
  return new Promise((resolve) => {
    const z = new yazl.ZipFile();
    for (const [name, bytes] of entries) z.addBuffer(bytes, name);
    z.outputStream.pipe(createWriteStream(file)).on('close', () => resolve(file));
    z.end();
  });
}

const only = (result: Awaited<ReturnType<typeof readSource>>) => ({ snapshot: result.snapshot, codes: result.findings.map((f) => f.code) });

describe('duplicate file names are an error, never one of them used', () => {
  it('pupils.csv and Pupils.csv in a folder', async () => {
    const dir = await mkdtemp(path.join(root, 'dup-'));
    for (const [n, b] of files) await writeFile(path.join(dir, n), b);
    await writeFile(path.join(dir, 'Pupils.csv'), files.find(([n]) => n === 'pupils.csv')![1]);
    const result = await readSource(dir);
    expect(result.snapshot).toBeNull();
    expect(result.findings).toEqual([expect.objectContaining({ code: 'input.duplicate_file', severity: 'error', file: 'pupils.csv', message: expect.stringContaining('Pupils.csv, pupils.csv') })]);
  });

  it('the same name in two folders of a ZIP, and the same name twice in a ZIP', async () => {
    const pupils = files.find(([n]) => n === 'pupils.csv')![1];
    const inFolders = await readSource(await zip([...files, ['2025/pupils.csv', pupils]]));
    expect(inFolders.findings).toEqual([expect.objectContaining({ code: 'input.duplicate_file', file: 'pupils.csv', message: expect.stringContaining('2025/pupils.csv, pupils.csv') })]);
    expect(inFolders.snapshot).toBeNull();
    expect(only(await readSource(await zip([...files, ['PUPILS.CSV', pupils], ['x/pupils.csv', pupils]])))).toEqual({ snapshot: null, codes: ['input.duplicate_file'] });
    const twice = await readSource(await zip([...files, ['pupils.csv', pupils]]));
    expect(twice.findings.map((f) => [f.code, f.file])).toEqual([['input.duplicate_file', 'pupils.csv']]);
  });

  it('the bundle lists the duplicates; other duplicated names (not CSV or JSON) do not stop the read', async () => {
    const file = await zip([...files, ['a/readme.txt', Buffer.from('1')], ['b/README.txt', Buffer.from('2')]]);
    const bundle = await openBundle(file);
    expect(bundle.duplicates).toEqual([{ name: 'readme.txt', paths: ['a/readme.txt', 'b/README.txt'] }]);
    await bundle.close();
    expect((await readSource(file)).findings).toEqual([]);
  });
});

describe('archives over the limits are refused from their directory', () => {
  it('more entries than maxZipEntries: input.zip_too_many_entries, nothing read', async () => {
    const file = await zip([...files, ...Array.from({ length: 30 }, (_, i) => [`junk/${i}.txt`, Buffer.from('x')] as [string, Buffer])]);
    const result = await readSource(file, { limits: { maxZipEntries: 40 } });
    expect(result.snapshot).toBeNull();
    expect(result.findings).toEqual([expect.objectContaining({ code: 'input.zip_too_many_entries', file: path.basename(file), message: expect.stringContaining(`${files.length + 30}, допустимо не более 40`) })]);
    expect((await readSource(file)).findings).toEqual([]);
  });

  it('more unpacked bytes than maxZipBytes (a zip bomb): input.zip_too_large', async () => {
    // 8 MB of zeros pack into a few KB.
    const file = await zip([...files, ['padding.csv', Buffer.alloc(8 * 1024 * 1024)]]);
    const result = await readSource(file, { limits: { maxZipBytes: 4 * 1024 * 1024 } });
    expect(only(result)).toEqual({ snapshot: null, codes: ['input.zip_too_large'] });
    expect(result.findings[0].message).toContain('более 4 МиБ после распаковки');
  });

  it('a file larger than maxFileBytes is input.too_large on that file (folder and ZIP); the others are read', async () => {
    const limits = { maxFileBytes: 20 * 1024 };
    const big = files.filter(([, b]) => b.length > limits.maxFileBytes).map(([n]) => n);
    expect(big).toContain('marks.csv');
    for (const target of [school, await zip(files)]) {
      const result = await readSource(target, { limits });
      const tooLarge = result.findings.filter((f) => f.code === 'input.too_large');
      expect(tooLarge.map((f) => f.file).sort()).toEqual(big.sort());
      expect(tooLarge.every((f) => f.severity === 'error' && f.message.includes('допустимо не более 20 КиБ'))).toBe(true);
      expect(result.counts.pupils).toBe(30);
    }
  });

  it('defaults, as documented', () => {
    expect(DEFAULT_INPUT_LIMITS).toEqual({
      maxLineBytes: 1024 * 1024,
      maxColumns: 200,
      maxFileBytes: 1024 ** 3,
      maxZipEntries: 1000,
      maxZipBytes: 2 * 1024 ** 3,
      maxJsonBytes: 512 * 1024 * 1024,
      maxJsonDepth: 32,
    });
    expect([900, 2048, 1536 * 1024, 2 * 1024 ** 3].map(formatBytes)).toEqual(['900 байт', '2 КиБ', '1,5 МиБ', '2 ГиБ']);
  });
});
