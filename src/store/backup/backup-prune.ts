import { readdir, rm } from 'node:fs/promises';
import path from 'node:path';
import type { Actor, AuditRepository } from '../repositories/audit-repository';
import { ARCHIVE_PATTERN } from './store-backup';
import { archivesToDelete, DEFAULT_RETENTION, type RetentionPolicy } from './backup-retention';

/**
 * Deletes, in each folder, the archives the retention policy lets go (with their `.sha256`), and
 * audits every deletion as `actor`. Returns the paths deleted.
 * @param policy How many archives to keep. @defaultValue `DEFAULT_RETENTION` (8 weekly, 12 monthly, 5 yearly)
 */
export async function pruneBackups(store: { audit: Pick<AuditRepository, 'append'> }, folders: readonly string[], today: string, actor: Actor, policy: RetentionPolicy = DEFAULT_RETENTION): Promise<string[]> {
  const deleted: string[] = [];
  for (const folder of folders) {
    const names = (await readdir(folder)).filter((n) => ARCHIVE_PATTERN.test(n));
    const gone = archivesToDelete(names.map((name) => ({ name, day: ARCHIVE_PATTERN.exec(name)![1] })), today, policy);
    for (const a of gone) {
      await rm(path.join(folder, a.name), { force: true });
      await rm(path.join(folder, `${a.name}.sha256`), { force: true });
      await store.audit.append({ ...actor, action: 'backup.deleted', objectType: 'backup', objectId: a.name, details: { folder, reason: 'срок хранения истёк' } });
      deleted.push(path.join(folder, a.name));
    }
  }
  return deleted;
}
