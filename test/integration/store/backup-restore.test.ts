import { randomUUID } from 'node:crypto';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { makeFinding } from '../../../src/model';
import { backupStore, restoreStore, SecretBox, storeFingerprint, verifyBackup, writeArchive, type Store } from '../../../src/store';
import { freshStore, TEST_SECRET_BOX, type StoreKind } from '../../helpers/database';

const ACTOR = { actorOid: '1000100002', actorName: 'Админов С. П.' };

/** A store with a little of everything: links, runs in several states, staged changes, deliveries, id map, findings, manual actions, audit, a secret. */
async function populate(store: Store): Promise<void> {
  await store.links.upsert({ id: 'link-1', name: 'Школа № 1 → Дневник.ру', schoolId: 'school-1', platform: 'dnevnik', config: { id: 'link-1', nested: { a: [1, 2, { b: 'ё' }] } } });
  for (let i = 0; i < 3; i++) {
    const run = await store.runs.create({ id: `run-${i}-${randomUUID().slice(0, 6)}`, linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    await store.runs.transition(run.id, 'applying', { summary: { plan: { marks: { create: 2 } } } });
    await store.changes.stage(run.id, [
      { changeId: `marks.create.m${i}`, seq: 0, phase: 15, entity: 'marks', op: 'create', sourceId: `m${i}`, targetId: null, before: undefined, after: { sourceId: `m${i}`, value: '5' }, changedFields: null },
      { changeId: `marks.update.n${i}`, seq: 1, phase: 15, entity: 'marks', op: 'update', sourceId: `n${i}`, targetId: `90000000000000000${i}`, before: { value: '4' }, after: { value: '5' }, changedFields: ['value'] },
    ]);
    const attempt = await store.deliveries.start({ runId: run.id, linkId: 'link-1', changeId: `marks.create.m${i}`, entity: 'marks', operation: 'create', sourceId: `m${i}` });
    await store.deliveries.finish(attempt.id, { outcome: 'succeeded', status: 200, targetId: `80000000000000000${i}`, durationMs: 12 } as never);
    await store.findings.add(run.id, [makeFinding('reconcile.unmatched_target', { entity: 'marks', detail: 'Отметки: 1' })]);
    await store.manualActions.add(run.id, [{ actionId: `manual.pupils.create.p${i}`, entity: 'pupils', op: 'create', sourceId: `p${i}`, title: 'Создать ученика', fields: [{ label: 'Фамилия', value: 'Иванов' }], reason: 'API' }]);
    await store.runs.transition(run.id, 'succeeded');
  }
  await store.idMap.put('link-1', [
    { entity: 'pupils', sourceId: 'p1', targetId: '1000000000000012345', matchedBy: 'snils' },
    { entity: 'marks', sourceId: 'm1', targetId: '9007199254740993', matchedBy: 'created' },
  ] as never);
  await store.audit.append({ ...ACTOR, action: 'run.approved', objectType: 'run', objectId: 'run-x', schoolId: 'school-1', details: { reason: 'проверено' } });
  await store.secrets.put('dnevnik-link-1', JSON.stringify({ accessToken: 'секрет-токен' }));
}

describe.each<StoreKind>(['postgres', 'pglite'])('backup and restore on %s', (kind) => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-backup-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('backup to two media → wipe → restore gives an identical store (row counts and hashes), into either kind', async () => {
    const source = await freshStore(kind);
    let restoredPg: Awaited<ReturnType<typeof freshStore>> | undefined;
    let restoredLite: Awaited<ReturnType<typeof freshStore>> | undefined;
    try {
      await populate(source.store);
      const before = await storeFingerprint(source.store);
      expect(before.runs.rows).toBe(3);
      expect(before.deliveries?.rows ?? before.delivery_log?.rows).toBeGreaterThan(0);
      const media = [path.join(dir, `${kind}-a`), path.join(dir, `${kind}-b`)];
      const result = await backupStore(source.store, TEST_SECRET_BOX, media, new Date('2026-12-04T10:00:00Z'));
      expect(result.files).toHaveLength(2);
      expect(result.manifest).toEqual(before);
      for (const m of media) expect((await readdir(m)).sort()).toEqual(['ejsync-backup-2026-12-04T10-00-00-000Z.ejb', 'ejsync-backup-2026-12-04T10-00-00-000Z.ejb.sha256']);
      // No personal data or token in clear in the archive.
      const bytes = await readFile(result.files[0]);
      expect(bytes.includes(Buffer.from('Иванов'))).toBe(false);
      expect(bytes.includes(Buffer.from('секрет-токен'))).toBe(false);

      await source.cleanup();
      restoredPg = await freshStore('postgres');
      restoredLite = await freshStore('pglite');
      for (const target of [restoredPg, restoredLite]) {
        await restoreStore(target.store, TEST_SECRET_BOX, result.files[1]);
        expect(await storeFingerprint(target.store)).toEqual(before);
        // The restored store works: the secret opens with the same key, new rows get new ids.
        expect(JSON.parse((await target.store.secrets.get('dnevnik-link-1'))!)).toEqual({ accessToken: 'секрет-токен' });
        await target.store.audit.append({ ...ACTOR, action: 'store.restored', objectType: 'store', objectId: 'x', details: {} });
        expect((await target.store.audit.list({ limit: 10 })).length).toBe(2);
      }
      // A second restore into a store that is no longer empty is refused.
      await expect(restoreStore(restoredPg.store, TEST_SECRET_BOX, result.files[0])).rejects.toMatchObject({ code: 'backup.store_not_empty' });
    } finally {
      await restoredPg?.cleanup();
      await restoredLite?.cleanup();
      await source.cleanup().catch(() => undefined);
    }
  });

  it('a tampered archive, a truncated one, a wrong key and a wrong .sha256 each fail verification with their code', async () => {
    const s = await freshStore(kind);
    try {
      await populate(s.store);
      const out = path.join(dir, `${kind}-verify`);
      const { files } = await backupStore(s.store, TEST_SECRET_BOX, [out]);
      expect((await verifyBackup(files[0], TEST_SECRET_BOX)).manifest.runs.rows).toBe(3);
      const original = await readFile(files[0]);

      const flipped = Buffer.from(original);
      flipped[Math.floor(flipped.length * 0.6)] ^= 0x01;
      const tampered = path.join(out, 'tampered.ejb');
      await writeFile(tampered, flipped);
      await expect(verifyBackup(tampered, TEST_SECRET_BOX)).rejects.toMatchObject({ code: 'backup.damaged' });

      const truncated = path.join(out, 'truncated.ejb');
      await writeFile(truncated, original.subarray(0, Math.floor(original.length / 2)));
      await expect(verifyBackup(truncated, TEST_SECRET_BOX)).rejects.toMatchObject({ code: 'backup.damaged' });

      const other = SecretBox.fromString(Buffer.alloc(32, 9).toString('base64'));
      await expect(verifyBackup(files[0], other)).rejects.toMatchObject({ code: 'backup.wrong_key' });

      await writeFile(`${files[0]}.sha256`, `${'0'.repeat(64)}  x.ejb\n`);
      await expect(verifyBackup(files[0], TEST_SECRET_BOX)).rejects.toMatchObject({ code: 'backup.damaged' });

      const notArchive = path.join(out, 'notes.txt');
      await writeFile(notArchive, 'просто текст');
      await expect(verifyBackup(notArchive, TEST_SECRET_BOX)).rejects.toMatchObject({ code: 'backup.unreadable' });
    } finally {
      await s.cleanup();
    }
  });

  it('a destination that cannot be written, and an archive from a newer ejsync, are refused with their codes', async () => {
    const s = await freshStore(kind);
    try {
      const blocker = path.join(dir, `${kind}-file`);
      await writeFile(blocker, 'не каталог');
      await expect(backupStore(s.store, TEST_SECRET_BOX, [path.join(blocker, 'sub')])).rejects.toMatchObject({ code: 'backup.destination_unwritable' });
      const future = path.join(dir, `${kind}-future.ejb`);
      await writeArchive(future, { createdAt: new Date().toISOString(), keyId: TEST_SECRET_BOX.keyId, storeKind: kind, migrations: ['9999-from-the-future'] }, TEST_SECRET_BOX.deriveKey('backup'), async (emit) => {
        await emit({ kind: 'manifest', tables: {} });
      });
      await expect(restoreStore(s.store, TEST_SECRET_BOX, future)).rejects.toMatchObject({ code: 'backup.newer_schema' });
    } finally {
      await s.cleanup();
    }
  });
});
