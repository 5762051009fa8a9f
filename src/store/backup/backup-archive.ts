import { createCipheriv, createDecipheriv, createHash, randomBytes } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { open, stat } from 'node:fs/promises';
import { createInterface } from 'node:readline';
import { PassThrough, Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { createGunzip, createGzip } from 'node:zlib';
import { EjsyncError } from '../../model';
import type { StoreTable } from './store-tables';

/** First line of every archive: what it is and its format version. */
export const BACKUP_MAGIC = 'EJSYNC-BACKUP 1';
const TAG_BYTES = 16;

/** What the archive says of itself, in clear (and authenticated: it is the cipher's associated data). */
export interface BackupHeader {
  format: 'ejsync-backup';
  version: 1;
  createdAt: string;
  /** Which key encrypted it (`SecretBox.keyId`): a wrong key is told apart from damage. */
  keyId: string;
  /** AES-256-GCM nonce, base64. */
  iv: string;
  /** `postgres` or `pglite`: where it was made (it restores into either). */
  storeKind: string;
  /** Migrations the store had: a restore needs all of them. */
  migrations: string[];
}

/** Per table: rows and the SHA-256 of its rows as dumped (one canonical JSON line each). */
export type BackupManifest = Record<string, { rows: number; sha256: string }>;

/** One line of the archive body (gzip, then encrypted). */
type BodyLine =
  | { kind: 'table'; table: StoreTable }
  | { kind: 'row'; v: (string | null)[] }
  | { kind: 'end'; table: string; rows: number; sha256: string }
  | { kind: 'manifest'; tables: BackupManifest };

/** Writes an archive: the header, then the encrypted, compressed body the producer yields. */
export async function writeArchive(file: string, header: Omit<BackupHeader, 'format' | 'version' | 'iv'>, key: Buffer, produce: (emit: (line: BodyLine) => Promise<void>) => Promise<void>): Promise<void> {
  const iv = randomBytes(12);
  const full: BackupHeader = { format: 'ejsync-backup', version: 1, ...header, iv: iv.toString('base64') };
  const headerBytes = Buffer.from(`${BACKUP_MAGIC}\n${JSON.stringify(full)}\n`, 'utf8');
  const cipher = createCipheriv('aes-256-gcm', key, iv);
  cipher.setAAD(headerBytes);
  const out = createWriteStream(file, { flags: 'wx' });
  const body = new PassThrough();
  const gzip = createGzip({ level: 6 });
  out.write(headerBytes);
  const done = pipeline(body, gzip, cipher, out, { end: false }).then(
    () =>
      new Promise<void>((resolve, reject) => {
        out.end(cipher.getAuthTag(), () => resolve());
        out.once('error', reject);
      }),
  );
  const emit = async (line: BodyLine) => {
    if (!body.write(`${JSON.stringify(line)}\n`)) await new Promise<void>((r) => body.once('drain', () => r()));
  };
  try {
    await produce(emit);
    body.end();
  } catch (error) {
    body.destroy(error as Error);
    await done.catch(() => undefined);
    throw error;
  }
  await done;
  const handle = await open(file, 'r+');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Reads an archive's clear header (without the key). */
export async function readArchiveHeader(file: string): Promise<{ header: BackupHeader; headerBytes: Buffer; size: number }> {
  let size: number;
  try {
    size = (await stat(file)).size;
  } catch (cause) {
    throw new EjsyncError('backup.unreadable', { cause, detail: file });
  }
  const handle = await open(file, 'r');
  try {
    const { buffer, bytesRead } = await handle.read(Buffer.alloc(Math.min(size, 64 * 1024)), 0, Math.min(size, 64 * 1024), 0);
    const head = buffer.subarray(0, bytesRead);
    const first = head.indexOf(0x0a);
    const second = first < 0 ? -1 : head.indexOf(0x0a, first + 1);
    if (first < 0 || second < 0 || head.subarray(0, first).toString('utf8') !== BACKUP_MAGIC) throw new EjsyncError('backup.unreadable', { detail: file });
    let header: BackupHeader;
    try {
      header = JSON.parse(head.subarray(first + 1, second).toString('utf8')) as BackupHeader;
    } catch (cause) {
      throw new EjsyncError('backup.unreadable', { cause, detail: file });
    }
    if (header.format !== 'ejsync-backup' || header.version !== 1 || typeof header.iv !== 'string') throw new EjsyncError('backup.unreadable', { detail: file });
    return { header, headerBytes: head.subarray(0, second + 1), size };
  } finally {
    await handle.close();
  }
}

export interface ArchiveReader {
  onTable?(table: StoreTable): Promise<void> | void;
  onRow?(table: StoreTable, row: (string | null)[]): Promise<void> | void;
  onTableEnd?(table: StoreTable): Promise<void> | void;
}

/**
 * Reads an archive through, checking everything: the key, the cipher's tag (nothing altered), each
 * table's row count and SHA-256 against its end line and against the manifest at the end. Throws
 * `backup.damaged` on any mismatch — a reader that writes (restore) must read once to verify first,
 * because rows are handed out before the tag can be checked.
 */
export async function readArchive(file: string, key: Buffer, keyId: string, reader: ArchiveReader = {}): Promise<{ header: BackupHeader; manifest: BackupManifest }> {
  const { header, headerBytes, size } = await readArchiveHeader(file);
  if (header.keyId !== keyId) throw new EjsyncError('backup.wrong_key', { detail: `копия: ключ ${header.keyId}, задан: ${keyId}` });
  if (size < headerBytes.length + TAG_BYTES) throw new EjsyncError('backup.damaged', { detail: 'файл обрезан' });
  const tagHandle = await open(file, 'r');
  const tag = Buffer.alloc(TAG_BYTES);
  try {
    await tagHandle.read(tag, 0, TAG_BYTES, size - TAG_BYTES);
  } finally {
    await tagHandle.close();
  }
  const decipher = createDecipheriv('aes-256-gcm', key, Buffer.from(header.iv, 'base64'));
  decipher.setAAD(headerBytes);
  decipher.setAuthTag(tag);
  const plain = new PassThrough();
  // Who failed first decides what is reported: the file (cipher, gzip) or the reader (e.g. a restore's insert).
  let stoppedByReader = false;
  let fileFailed = false;
  const decrypted = pipeline(createReadStream(file, { start: headerBytes.length, end: size - TAG_BYTES - 1 }), decipher, createGunzip(), plain).catch((cause: unknown) => {
    if (!stoppedByReader) fileFailed = true;
    plain.destroy();
    throw new EjsyncError('backup.damaged', { cause, detail: 'расшифровка или распаковка не удалась' });
  });

  const manifestSeen: BackupManifest = {};
  let manifest: BackupManifest | undefined;
  let current: { table: StoreTable; hash: ReturnType<typeof createHash>; rows: number } | undefined;
  const damaged = (detail: string) => new EjsyncError('backup.damaged', { detail });
  const lines = createInterface({ input: plain, crlfDelay: Infinity });
  let loopError: unknown;
  try {
    for await (const text of lines) {
      if (!text) continue;
      let line: BodyLine;
      try {
        line = JSON.parse(text) as BodyLine;
      } catch (cause) {
        throw new EjsyncError('backup.damaged', { cause, detail: 'строка архива не читается' });
      }
      if (manifest) throw damaged('данные после оглавления');
      if (line.kind === 'table') {
        if (current) throw damaged(`таблица ${current.table.name} не закрыта`);
        current = { table: line.table, hash: createHash('sha256'), rows: 0 };
        await reader.onTable?.(line.table);
      } else if (line.kind === 'row') {
        if (!current) throw damaged('строка вне таблицы');
        current.hash.update(`${JSON.stringify(line.v)}\n`);
        current.rows++;
        await reader.onRow?.(current.table, line.v);
      } else if (line.kind === 'end') {
        if (!current || current.table.name !== line.table) throw damaged(`конец таблицы ${line.table} не на месте`);
        const sha256 = current.hash.digest('hex');
        if (sha256 !== line.sha256 || current.rows !== line.rows) throw damaged(`таблица ${line.table}: контрольная сумма или число строк не сходятся`);
        manifestSeen[line.table] = { rows: current.rows, sha256 };
        await reader.onTableEnd?.(current.table);
        current = undefined;
      } else if (line.kind === 'manifest') manifest = line.tables;
      else throw damaged('неизвестная строка архива');
    }
  } catch (error) {
    loopError = error;
    if (!fileFailed) stoppedByReader = true;
    plain.destroy();
  }
  const pipelineError = await decrypted.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (fileFailed && pipelineError !== undefined) throw pipelineError;
  if (loopError !== undefined) throw loopError;
  if (pipelineError !== undefined) throw pipelineError;
  if (!manifest) throw damaged('нет оглавления (архив обрезан)');
  const names = new Set([...Object.keys(manifest), ...Object.keys(manifestSeen)]);
  for (const n of names) {
    const a = manifest[n];
    const b = manifestSeen[n];
    if (!a || !b || a.rows !== b.rows || a.sha256 !== b.sha256) throw damaged(`оглавление не сходится с таблицей ${n}`);
  }
  return { header, manifest };
}

/** SHA-256 of a whole file, hex. */
export async function fileSha256(file: string): Promise<string> {
  const hash = createHash('sha256');
  await pipeline(createReadStream(file), new Transform({ transform: (chunk, _e, cb) => (hash.update(chunk), cb()) }));
  return hash.digest('hex');
}
