import { createHash } from 'node:crypto';
import { copyFile, mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { sql, type Kysely } from 'kysely';
import { EjsyncError } from '../../model';
import type { Database } from '../schema';
import type { SecretBox } from '../repositories/secret-box';
import { fileSha256, readArchive, readArchiveHeader, writeArchive, type BackupHeader, type BackupManifest } from './backup-archive';
import { quoteIdent, storeTables, textRow, textRowsQuery, type StoreTable } from './store-tables';

/** What a backup, a verification or a restore needs of the store. */
export interface BackupStoreHandle {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
}

/** Rows read per query while dumping a table. @defaultValue 2000 */
const PAGE_ROWS = 2000;
/** Rows per INSERT while restoring. @defaultValue 200 */
const INSERT_ROWS = 200;
/** File name of an archive: sorts by time. */
export const archiveName = (at: Date) => `ejsync-backup-${at.toISOString().replace(/[:.]/g, '-')}.ejb`;
/** Archives end in `.ejb`; beside each, `<name>.sha256` in `sha256sum` form. */
export const ARCHIVE_PATTERN = /^ejsync-backup-(\d{4}-\d{2}-\d{2})T[\d-]+Z\.ejb$/;

export interface BackupResult {
  /** The archive written to each destination (same bytes). */
  files: string[];
  createdAt: string;
  manifest: BackupManifest;
  /** SHA-256 of the archive file. */
  sha256: string;
  bytes: number;
}

async function appliedMigrations<DB>(db: Kysely<DB>): Promise<string[]> {
  const rows = await sql<{ name: string }>`select name from kysely_migration order by name`.execute(db);
  return rows.rows.map((r) => r.name);
}

/**
 * Writes a consistent, compressed, encrypted archive of the whole store (runs, delivery log, id
 * map, audit, people links, secrets as the ciphertext they already are) to every destination,
 * each written to a temporary name, synced and renamed, then read back and verified. Every table
 * is read in one repeatable-read transaction: the archive is one moment of the store.
 */
export async function backupStore(store: BackupStoreHandle, box: SecretBox, destinations: readonly string[], now = new Date()): Promise<BackupResult> {
  if (destinations.length === 0) throw new EjsyncError('backup.destination_unwritable', { detail: 'не указан каталог (--to)' });
  const key = box.deriveKey('backup');
  const name = archiveName(now);
  const first = path.join(destinations[0], name);
  const tmp = `${first}.part`;
  try {
    await mkdir(destinations[0], { recursive: true });
  } catch (cause) {
    throw new EjsyncError('backup.destination_unwritable', { cause, detail: destinations[0] });
  }
  const manifest: BackupManifest = {};
  try {
    await store.db
      .transaction()
      .setIsolationLevel('repeatable read')
      .execute(async (trx) => {
        const migrations = await appliedMigrations(trx);
        const tables = await storeTables(trx);
        await writeArchive(tmp, { createdAt: now.toISOString(), keyId: box.keyId, storeKind: store.kind, migrations }, key, async (emit) => {
          for (const table of tables) {
            await emit({ kind: 'table', table });
            const hash = createHash('sha256');
            let rows = 0;
            for (let offset = 0; ; offset += PAGE_ROWS) {
              const page = await sql<Record<string, string | null>>`${textRowsQuery(table)} limit ${PAGE_ROWS} offset ${offset}`.execute(trx);
              for (const r of page.rows) {
                const v = textRow(table, r);
                hash.update(`${JSON.stringify(v)}\n`);
                rows++;
                await emit({ kind: 'row', v });
              }
              if (page.rows.length < PAGE_ROWS) break;
            }
            const sha256 = hash.digest('hex');
            manifest[table.name] = { rows, sha256 };
            await emit({ kind: 'end', table: table.name, rows, sha256 });
          }
          await emit({ kind: 'manifest', tables: manifest });
        });
      });
    await rename(tmp, first);
  } catch (error) {
    await rm(tmp, { force: true }).catch(() => undefined);
    if (error instanceof EjsyncError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code && /^E[A-Z]+$/.test(code)) throw new EjsyncError('backup.destination_unwritable', { cause: error, detail: `${destinations[0]} (${code})` });
    throw error;
  }
  const sha256 = await fileSha256(first);
  const files = [first];
  for (const dir of destinations.slice(1)) {
    const target = path.join(dir, name);
    try {
      await mkdir(dir, { recursive: true });
      await copyFile(first, `${target}.part`);
      await rename(`${target}.part`, target);
    } catch (cause) {
      // Cleaning up must not hide why: under a path that is no folder, rm fails too (ENOTDIR).
      await rm(`${target}.part`, { force: true }).catch(() => undefined);
      throw new EjsyncError('backup.destination_unwritable', { cause, detail: dir });
    }
    files.push(target);
  }
  for (const file of files) {
    await writeFile(`${file}.sha256`, `${sha256}  ${path.basename(file)}\n`);
    const verified = await verifyBackup(file, box);
    if (verified.sha256 !== sha256) throw new EjsyncError('backup.damaged', { detail: `${file}: копия на носителе отличается от записанной` });
  }
  const { size } = await readArchiveHeader(first);
  return { files, createdAt: now.toISOString(), manifest, sha256, bytes: size };
}

/**
 * Proves an archive intact: the file's SHA-256 against its `.sha256` companion (when present), then
 * a full read — key, cipher tag, every table's rows and sums, the manifest.
 */
export async function verifyBackup(file: string, box: SecretBox): Promise<{ header: BackupHeader; manifest: BackupManifest; sha256: string }> {
  const sha256 = await fileSha256(file).catch((cause: unknown) => {
    throw new EjsyncError('backup.unreadable', { cause, detail: file });
  });
  const companion = await readFile(`${file}.sha256`, 'utf8').catch(() => undefined);
  if (companion !== undefined && companion.split(/\s+/)[0] !== sha256) throw new EjsyncError('backup.damaged', { detail: `${path.basename(file)}: сумма SHA-256 не совпадает с ${path.basename(file)}.sha256` });
  const { header, manifest } = await readArchive(file, box.deriveKey('backup'), box.keyId);
  return { header, manifest, sha256 };
}

/**
 * Restores an archive into an EMPTY store of the same or a newer schema (PostgreSQL or PGlite,
 * whichever made it): verified in full first, then every table in foreign-key order inside one
 * transaction, values cast back from their exact text, sequences moved past the restored ids.
 * Either all of it lands or none.
 */
export async function restoreStore(store: BackupStoreHandle, box: SecretBox, file: string): Promise<{ manifest: BackupManifest; header: BackupHeader }> {
  const { header } = await verifyBackup(file, box);
  const have = new Set(await appliedMigrations(store.db));
  const missing = header.migrations.filter((m) => !have.has(m));
  if (missing.length) throw new EjsyncError('backup.newer_schema', { detail: missing.join(', ') });
  const tables = new Map((await storeTables(store.db)).map((t) => [t.name, t]));
  for (const t of tables.values()) {
    const n = await sql<{ n: string }>`select count(*)::text as n from ${sql.raw(quoteIdent(t.name))}`.execute(store.db);
    if (n.rows[0].n !== '0') throw new EjsyncError('backup.store_not_empty', { detail: `таблица ${t.name}: строк ${n.rows[0].n}` });
  }
  let manifest: BackupManifest = {};
  await store.db.transaction().execute(async (trx) => {
    let batch: (string | null)[][] = [];
    let archived: StoreTable | undefined;
    const flush = async () => {
      if (!archived || !batch.length) return;
      const local = tables.get(archived.name);
      if (!local) throw new EjsyncError('backup.newer_schema', { detail: `таблица ${archived.name}` });
      const known = archived.columns.map((c, i) => ({ c, i, local: local.columns.find((l) => l.name === c.name) })).filter((x) => x.local);
      if (known.length < archived.columns.length) throw new EjsyncError('backup.newer_schema', { detail: `таблица ${archived.name}: столбцы ${archived.columns.filter((c) => !local.columns.some((l) => l.name === c.name)).map((c) => c.name).join(', ')}` });
      const columns = known.map((k) => quoteIdent(k.c.name)).join(', ');
      const overriding = known.some((k) => k.local!.identityAlways) ? sql.raw(' overriding system value') : sql.raw('');
      const values = sql.join(batch.map((row) => sql`(${sql.join(known.map((k) => sql`cast(cast(${row[k.i]} as text) as ${sql.raw(k.local!.type)})`))})`));
      await sql`insert into ${sql.raw(quoteIdent(archived.name))} (${sql.raw(columns)})${overriding} values ${values}`.execute(trx);
      batch = [];
    };
    const result = await readArchive(file, box.deriveKey('backup'), box.keyId, {
      onTable: (t) => {
        archived = t;
      },
      onRow: async (_t, row) => {
        batch.push(row);
        if (batch.length >= INSERT_ROWS) await flush();
      },
      onTableEnd: async (t) => {
        await flush();
        const local = tables.get(t.name);
        for (const c of local?.columns.filter((x) => x.serial) ?? []) {
          const col = quoteIdent(c.name);
          await sql`select setval(pg_get_serial_sequence(${quoteIdent(t.name)}, ${c.name}), coalesce(max(${sql.raw(col)})::bigint, 1), max(${sql.raw(col)}) is not null) from ${sql.raw(quoteIdent(t.name))}`.execute(trx);
        }
        archived = undefined;
      },
    });
    manifest = result.manifest;
  });
  return { manifest, header };
}

/**
 * Row counts and SHA-256 of every table as a backup would dump them: two stores with equal
 * fingerprints hold the same data (what a restore is checked by).
 */
export async function storeFingerprint(store: BackupStoreHandle): Promise<BackupManifest> {
  const out: BackupManifest = {};
  for (const table of await storeTables(store.db)) {
    const rows = await sql<Record<string, string | null>>`${textRowsQuery(table)}`.execute(store.db);
    const hash = createHash('sha256');
    for (const r of rows.rows) hash.update(`${JSON.stringify(textRow(table, r))}\n`);
    out[table.name] = { rows: rows.rows.length, sha256: hash.digest('hex') };
  }
  return out;
}
