import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { generateSchool } from '../../../src/connectors/demo-school';
import { verifyYearArchive, writeYearArchive, yearJournalTables } from '../../../src/export';
import { SnapshotCollector, type Snapshot } from '../../../src/model';

const key = Buffer.alloc(32, 1);
const signing = { key, keyId: 'k1' };

async function readEntries(file: string): Promise<{ name: string; data: Buffer }[]> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true }, (err, zip) => {
      if (err || !zip) return reject(err);
      const out: { name: string; data: Buffer }[] = [];
      zip.on('end', () => resolve(out));
      zip.on('entry', (e: yauzl.Entry) =>
        zip.openReadStream(e, (se, s) => {
          if (se || !s) return reject(se);
          const chunks: Buffer[] = [];
          s.on('data', (c: Buffer) => chunks.push(c));
          s.on('end', () => {
            out.push({ name: e.fileName, data: Buffer.concat(chunks) });
            zip.readEntry();
          });
        }),
      );
      zip.readEntry();
    });
  });
}

async function writeZip(file: string, entries: { name: string; data: Buffer }[]) {
  const zip = new yazl.ZipFile();
  for (const e of entries) zip.addBuffer(e.data, e.name);
  zip.end();
  await new Promise<void>((resolve) => zip.outputStream.pipe(require('node:fs').createWriteStream(file)).on('close', () => resolve()));
}

describe('year archive', () => {
  let dir: string;
  let school: Snapshot;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-year-'));
    const c = new SnapshotCollector();
    await generateSchool(c, { pupils: 40, seed: 'year', weeks: 1 });
    school = c.snapshot();
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('per class and subject the current marks, per class attendance and period marks, each saying whether it reached the journal', () => {
    const year = school.academicYears[0];
    const delivered = new Set(school.marks.slice(0, 10).map((m) => m.sourceId));
    const files = yearJournalTables(school, year, (e, id) => e === 'marks' && delivered.has(id));
    const paths = files.map((f) => f.path);
    expect(paths.some((p) => /^Журнал\/\d{1,2}[А-Я]\/[А-Яа-яЁё ().-]+\.csv$/.test(p))).toBe(true);
    expect(paths.some((p) => p.startsWith('Посещаемость/'))).toBe(true);
    const rows = files.filter((f) => f.path.startsWith('Журнал/')).flatMap((f) => f.rows.slice(1));
    const currentMarks = school.marks.filter((m) => m.kind === 'current').length;
    expect(rows).toHaveLength(currentMarks);
    expect(rows.filter((r) => r[5] === 'да')).toHaveLength(school.marks.slice(0, 10).filter((m) => m.kind === 'current').length);
    // Names are there for the deputy director; values in school terms.
    expect(String(rows[0][0])).toMatch(/^[А-ЯЁ][а-яё]+ [А-ЯЁ]/);
    const att = files.find((f) => f.path.startsWith('Посещаемость/'))!.rows[1];
    expect(['Н', 'П', 'Б', 'ОП']).toContain(att[4]);
  });

  it('is signed: any change, removed or added file, or another key is detected', async () => {
    const year = school.academicYears[0];
    const journal = yearJournalTables(school, year, () => true);
    const file = path.join(dir, 'year.zip');
    const manifest = await writeYearArchive(file, { school: { sourceId: school.school.sourceId, name: school.school.name }, linkId: 'l1', year, journal, tables: [{ path: 'Соответствие идентификаторов.csv', rows: [['a'], ['b']] }], createdAt: new Date('2027-06-30T10:00:00Z'), ...signing });
    expect(manifest.files.length).toBe(journal.length + 2);
    await expect(verifyYearArchive(file, signing)).resolves.toMatchObject({ signatureChecked: true });
    await expect(verifyYearArchive(file)).resolves.toMatchObject({ signatureChecked: false });
    await expect(verifyYearArchive(file, { key: Buffer.alloc(32, 2), keyId: 'k1' })).rejects.toMatchObject({ code: 'archive.damaged' });

    const entries = await readEntries(file);
    const edit = async (name: string, change: (e: { name: string; data: Buffer }[]) => void) => {
      const copy = entries.map((e) => ({ ...e, data: Buffer.from(e.data) }));
      change(copy);
      const out = path.join(dir, `${name}.zip`);
      await writeZip(out, copy);
      return out;
    };
    const markFile = entries.find((e) => e.name.startsWith('Журнал/'))!.name;
    const changed = await edit('changed', (c) => {
      const e = c.find((x) => x.name === markFile)!;
      e.data = Buffer.from(e.data.toString('utf8').replace(/;5;/, ';4;'), 'utf8');
    });
    await expect(verifyYearArchive(changed, signing)).rejects.toMatchObject({ code: 'archive.damaged', message: expect.stringContaining('изменён файл') });
    const removed = await edit('removed', (c) => c.splice(c.findIndex((x) => x.name === markFile), 1));
    await expect(verifyYearArchive(removed, signing)).rejects.toMatchObject({ code: 'archive.damaged' });
    const added = await edit('added', (c) => c.push({ name: 'Журнал/5А/Новый.csv', data: Buffer.from('x') }));
    await expect(verifyYearArchive(added, signing)).rejects.toMatchObject({ code: 'archive.damaged' });
    // Rewriting a file and its sum in the manifest still breaks the signature.
    const forged = await edit('forged', (c) => {
      const e = c.find((x) => x.name === markFile)!;
      e.data = Buffer.from(`${e.data.toString('utf8')}лишняя строка\r\n`, 'utf8');
      const m = c.find((x) => x.name === 'manifest.json')!;
      const json = JSON.parse(m.data.toString('utf8'));
      const f = json.files.find((x: { path: string }) => x.path === markFile);
      f.sha256 = require('node:crypto').createHash('sha256').update(e.data).digest('hex');
      f.bytes = e.data.length;
      m.data = Buffer.from(JSON.stringify(json), 'utf8');
    });
    await expect(verifyYearArchive(forged, signing)).rejects.toMatchObject({ code: 'archive.damaged' });
    await writeFile(path.join(dir, 'not.zip'), 'не архив');
    await expect(verifyYearArchive(path.join(dir, 'not.zip'), signing)).rejects.toMatchObject({ code: 'archive.unreadable' });
    expect((await readFile(file)).length).toBeGreaterThan(100);
  });
});
