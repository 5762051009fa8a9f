import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import { finished } from 'node:stream/promises';
import { stringify } from 'csv-stringify/sync';
import yauzl from 'yauzl';
import yazl from 'yazl';
import { EjsyncError, type AcademicYear } from '../../model';
import type { JournalFile } from './year-journal-tables';

export const YEAR_ARCHIVE_FORMAT = 'ejsync-year-archive';
const MANIFEST = 'manifest.json';

export interface YearArchiveManifest {
  format: typeof YEAR_ARCHIVE_FORMAT;
  version: 1;
  createdAt: string;
  school: { sourceId: string; name: string };
  linkId: string;
  year: Pick<AcademicYear, 'sourceId' | 'name' | 'startDate' | 'endDate'>;
  /** Every file but the manifest, in archive order, with its SHA-256. */
  files: { path: string; sha256: string; bytes: number }[];
  /** `h(i) = SHA-256(h(i-1) ‖ path ‖ sha256)` from `h(0) = SHA-256(format ‖ year ‖ school)`: an entry cannot be dropped, added or reordered unseen. */
  chain: string;
  /** Which key signed it (a short hash of the key). */
  keyId: string;
  /** HMAC-SHA256 of the manifest without this field, with a key derived from the installation's secret key. */
  signature: string;
}

export interface YearArchiveInput {
  school: { sourceId: string; name: string };
  linkId: string;
  year: AcademicYear;
  journal: readonly JournalFile[];
  /** Extra tables: the delivery log and the id map of the year (ids only), each with its header row. */
  tables: readonly JournalFile[];
  createdAt: Date;
  /** Signing key and its id (`SecretBox.deriveKey('year-archive')`, `SecretBox.keyId`). */
  key: Buffer;
  keyId: string;
}

const csv = (rows: JournalFile['rows']) => Buffer.from(stringify(rows.map((r) => r.map((c) => String(c))), { delimiter: ';', bom: true, record_delimiter: 'windows' }), 'utf8');
const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function chainOf(head: Pick<YearArchiveManifest, 'format' | 'year' | 'school'>, files: YearArchiveManifest['files']): string {
  let h = sha(`${head.format}\n${head.year.sourceId}\n${head.year.name}\n${head.school.sourceId}`);
  for (const f of files) h = sha(`${h}\n${f.path}\n${f.sha256}`);
  return h;
}

function signatureOf(manifest: Omit<YearArchiveManifest, 'signature'>, key: Buffer): string {
  return createHmac('sha256', key).update(JSON.stringify(manifest)).digest('hex');
}

const README = (m: Omit<YearArchiveManifest, 'signature' | 'files' | 'chain'>) => `Архив электронного журнала за ${m.year.name} учебный год
Школа: ${m.school.name}
Создан: ${m.createdAt}

Журнал/<класс>/<предмет>.csv — текущие отметки по классам и предметам
Итоговые отметки/<класс>.csv — отметки за четверти, полугодия, год, экзамены
Посещаемость/<класс>.csv — пропуски (Н, П, Б) и опоздания
Журнал доставки.csv — каждая передача в электронный журнал (без персональных данных)
Соответствие идентификаторов.csv — записи МИС и их записи на платформе

Файлы открываются в Excel (UTF-8, разделитель «;»). Колонка «Передано в журнал» говорит, дошла ли запись
до электронного журнала.

Целостность: manifest.json хранит контрольные суммы SHA-256 всех файлов, цепочку сумм и подпись.
Проверка: ejsync archive verify <этот файл>. Любое изменение файла архива будет обнаружено.
`;

/** Writes the closed year's journal as one signed ZIP (atomically: a temporary name, then renamed). */
export async function writeYearArchive(file: string, input: YearArchiveInput): Promise<YearArchiveManifest> {
  const head = {
    format: YEAR_ARCHIVE_FORMAT as typeof YEAR_ARCHIVE_FORMAT,
    version: 1 as const,
    createdAt: input.createdAt.toISOString(),
    school: input.school,
    linkId: input.linkId,
    year: { sourceId: input.year.sourceId, name: input.year.name, startDate: input.year.startDate, endDate: input.year.endDate },
    keyId: input.keyId,
  };
  const entries: { path: string; data: Buffer }[] = [{ path: 'ПРОЧТИТЕ.txt', data: Buffer.from(README(head), 'utf8') }];
  for (const f of [...input.journal, ...input.tables]) entries.push({ path: f.path, data: csv(f.rows) });
  const files = entries.map((e) => ({ path: e.path, sha256: sha(e.data), bytes: e.data.length }));
  const unsigned = { ...head, files, chain: chainOf(head, files) };
  const manifest: YearArchiveManifest = { ...unsigned, signature: signatureOf(unsigned, input.key) };

  const zip = new yazl.ZipFile();
  const mtime = input.createdAt;
  for (const e of entries) zip.addBuffer(e.data, e.path, { mtime });
  zip.addBuffer(Buffer.from(JSON.stringify(manifest, null, 2), 'utf8'), MANIFEST, { mtime });
  zip.end();
  const tmp = `${file}.part`;
  const out = createWriteStream(tmp, { flags: 'wx' });
  zip.outputStream.pipe(out);
  try {
    await finished(out);
    await rename(tmp, file);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
  return manifest;
}

function readZip(file: string): Promise<Map<string, Buffer>> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, decodeStrings: true }, (err, zip) => {
      if (err || !zip) return reject(new EjsyncError('archive.unreadable', { cause: err, detail: file }));
      const out = new Map<string, Buffer>();
      zip.on('error', (e) => reject(new EjsyncError('archive.damaged', { cause: e, detail: file })));
      zip.on('end', () => resolve(out));
      zip.on('entry', (entry: yauzl.Entry) => {
        if (out.has(entry.fileName)) return reject(new EjsyncError('archive.damaged', { detail: `файл ${entry.fileName} в архиве дважды` }));
        zip.openReadStream(entry, (e, stream) => {
          if (e || !stream) return reject(new EjsyncError('archive.damaged', { cause: e, detail: entry.fileName }));
          const chunks: Buffer[] = [];
          stream.on('data', (c: Buffer) => chunks.push(c));
          stream.on('error', (se) => reject(new EjsyncError('archive.damaged', { cause: se, detail: entry.fileName })));
          stream.on('end', () => {
            out.set(entry.fileName, Buffer.concat(chunks));
            zip.readEntry();
          });
        });
      });
      zip.readEntry();
    });
  });
}

/**
 * Proves a year archive unaltered: every file's SHA-256 against the manifest, no file missing or
 * added, the chain of sums, and — with the installation's key — the signature. Throws
 * `archive.damaged` naming what differs; `signatureChecked` is false without a key.
 */
export async function verifyYearArchive(file: string, signing?: { key: Buffer; keyId: string }): Promise<{ manifest: YearArchiveManifest; signatureChecked: boolean }> {
  const entries = await readZip(file);
  const raw = entries.get(MANIFEST);
  if (!raw) throw new EjsyncError('archive.unreadable', { detail: `${file}: нет ${MANIFEST}` });
  let manifest: YearArchiveManifest;
  try {
    manifest = JSON.parse(raw.toString('utf8')) as YearArchiveManifest;
  } catch (cause) {
    throw new EjsyncError('archive.damaged', { cause, detail: MANIFEST });
  }
  if (manifest.format !== YEAR_ARCHIVE_FORMAT || !Array.isArray(manifest.files)) throw new EjsyncError('archive.unreadable', { detail: file });
  const listed = new Set(manifest.files.map((f) => f.path));
  for (const name of entries.keys()) if (name !== MANIFEST && !listed.has(name)) throw new EjsyncError('archive.damaged', { detail: `лишний файл: ${name}` });
  for (const f of manifest.files) {
    const data = entries.get(f.path);
    if (!data) throw new EjsyncError('archive.damaged', { detail: `нет файла: ${f.path}` });
    if (sha(data) !== f.sha256 || data.length !== f.bytes) throw new EjsyncError('archive.damaged', { detail: `изменён файл: ${f.path}` });
  }
  if (chainOf(manifest, manifest.files) !== manifest.chain) throw new EjsyncError('archive.damaged', { detail: 'цепочка контрольных сумм не сходится' });
  if (!signing) return { manifest, signatureChecked: false };
  if (signing.keyId !== manifest.keyId) throw new EjsyncError('backup.wrong_key', { detail: `архив подписан ключом ${manifest.keyId}, задан ${signing.keyId}` });
  const { signature, ...unsigned } = manifest;
  const expected = Buffer.from(signatureOf(unsigned, signing.key), 'hex');
  const given = Buffer.from(String(signature), 'hex');
  if (expected.length !== given.length || !timingSafeEqual(expected, given)) throw new EjsyncError('archive.damaged', { detail: 'подпись оглавления не сходится' });
  return { manifest, signatureChecked: true };
}
