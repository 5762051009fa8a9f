import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pruneBackups } from '../../../src/store/backup/backup-prune';
import { freshStore } from '../../helpers/database';

describe('pruneBackups (store layer, actor passed in)', () => {
  it('deletes what retention lets go, with its .sha256, and audits each deletion as the given actor', async () => {
    const { store, cleanup } = await freshStore('pglite');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-prune-'));
    try {
      const older = 'ejsync-backup-2026-12-03T01-00-00-000Z.ejb';
      const newer = 'ejsync-backup-2026-12-03T02-00-00-000Z.ejb';
      for (const n of [older, newer]) {
        await writeFile(path.join(dir, n), 'x');
        await writeFile(path.join(dir, `${n}.sha256`), 'x');
      }
      await writeFile(path.join(dir, 'notes.txt'), 'kept');
      const deleted = await pruneBackups(store, [dir], '2026-12-04', { actorOid: 'system', actorName: 'ejsync' });
      expect(deleted).toEqual([path.join(dir, older)]);
      expect((await readdir(dir)).sort()).toEqual([newer, `${newer}.sha256`, 'notes.txt'].sort());
      const audit = (await store.audit.list()).filter((a) => a.action === 'backup.deleted');
      expect(audit).toHaveLength(1);
      expect(audit[0]).toMatchObject({ actorOid: 'system', objectId: older, details: { folder: dir } });
    } finally {
      await rm(dir, { recursive: true, force: true });
      await cleanup();
    }
  });
});
