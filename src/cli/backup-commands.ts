import path from 'node:path';
import { readEnvironment, storeOptionsOf } from '../config/environment';
import { localDateOf } from '../model';
import { backupStore, pruneBackups, openStore, restoreStore, SecretBox, verifyBackup, type Store } from '../store';
import type { CommandIo } from './command-runner';
import { cliActor } from './run-commands';

const megabytes = (bytes: number) => (bytes / 1048576).toLocaleString('ru-RU', { maximumFractionDigits: 1 });

async function withStore<T>(body: (store: Store, box: SecretBox) => Promise<T>): Promise<T> {
  const env = readEnvironment();
  const box = SecretBox.fromEnvironment();
  const store = await openStore({ ...storeOptionsOf(env), secretBox: box });
  try {
    return await body(store, box);
  } finally {
    await store.close();
  }
}

/** `ejsync backup --to DIR [--to DIR2] [--prune]`. */
export async function runBackup(opts: { to: string[]; prune?: boolean; json?: boolean }, io: CommandIo): Promise<number> {
  return withStore(async (store, box) => {
    const result = await backupStore(store, box, opts.to.map((d) => path.resolve(d)));
    await store.audit.append({ ...cliActor(), action: 'backup.created', objectType: 'backup', objectId: path.basename(result.files[0]), details: { files: result.files, sha256: result.sha256, tables: Object.keys(result.manifest).length } });
    const deleted = opts.prune ? await pruneBackups(store, opts.to.map((d) => path.resolve(d)), localDateOf(new Date(), 'Europe/Moscow'), cliActor()) : [];
    if (opts.json) {
      io.stdout.write(`${JSON.stringify({ ...result, deleted })}\n`);
      return 0;
    }
    const rows = Object.values(result.manifest).reduce((n, t) => n + t.rows, 0);
    io.stdout.write(`Резервная копия создана и проверена (${megabytes(result.bytes)} МБ, таблиц: ${Object.keys(result.manifest).length}, строк: ${rows}):\n`);
    for (const f of result.files) io.stdout.write(`  ${f}\n`);
    io.stdout.write(`SHA-256: ${result.sha256}\n`);
    if (deleted.length) io.stdout.write(`Удалены по сроку хранения (${deleted.length}):\n${deleted.map((d) => `  ${d}`).join('\n')}\n`);
    io.stdout.write('Ключ EJSYNC_SECRET_KEY нужен для восстановления: храните его отдельно от копий.\n');
    return 0;
  });
}

/** `ejsync backup verify ARCHIVE…`: exit 0 only when every archive is intact. */
export async function runBackupVerify(files: string[], opts: { json?: boolean }, io: CommandIo): Promise<number> {
  const box = SecretBox.fromEnvironment();
  const results: { file: string; ok: boolean; code?: string; message?: string; rows?: number; createdAt?: string }[] = [];
  for (const file of files) {
    try {
      const { header, manifest } = await verifyBackup(path.resolve(file), box);
      results.push({ file, ok: true, createdAt: header.createdAt, rows: Object.values(manifest).reduce((n, t) => n + t.rows, 0) });
    } catch (error) {
      const e = error as { code?: string; message: string };
      if (!e.code) throw error;
      results.push({ file, ok: false, code: e.code, message: e.message });
    }
  }
  if (opts.json) io.stdout.write(`${JSON.stringify({ results })}\n`);
  else for (const r of results) io.stdout.write(r.ok ? `ЦЕЛА  ${r.file}: копия от ${r.createdAt}, строк ${r.rows}\n` : `ПОВРЕЖДЕНА  ${r.file}: [${r.code}] ${r.message}\n`);
  return results.every((r) => r.ok) ? 0 : 1;
}

/** `ejsync restore ARCHIVE`: into an empty store only. */
export async function runRestore(file: string, opts: { json?: boolean }, io: CommandIo): Promise<number> {
  return withStore(async (store, box) => {
    const { manifest, header } = await restoreStore(store, box, path.resolve(file));
    await store.audit.append({ ...cliActor(), action: 'backup.restored', objectType: 'backup', objectId: path.basename(file), details: { createdAt: header.createdAt, tables: Object.keys(manifest).length } });
    const rows = Object.values(manifest).reduce((n, t) => n + t.rows, 0);
    if (opts.json) io.stdout.write(`${JSON.stringify({ restored: file, createdAt: header.createdAt, manifest })}\n`);
    else io.stdout.write(`Восстановлено из копии от ${header.createdAt}: таблиц ${Object.keys(manifest).length}, строк ${rows}. Контрольные суммы сошлись.\n`);
    return 0;
  });
}
