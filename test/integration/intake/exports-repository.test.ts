import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { backupStore, purgeExports, purgeRunData, restoreStore, type Store } from '../../../src/store';
import { freshStore, TEST_SECRET_BOX, type StoreKind } from '../../helpers/database';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

describe.each<StoreKind>(['pglite', 'postgres'])('kept exports on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  // One store for the file (PGlite opens slowly); every test starts with no links, runs or exports.
  beforeAll(async () => {
    ({ store, cleanup } = await freshStore(kind));
  });
  afterAll(async () => cleanup());
  beforeEach(async () => {
    await store.db.deleteFrom('runs').execute();
    await store.db.deleteFrom('links').execute();
    for (const id of ['link-a', 'link-b']) await store.links.upsert({ id, name: id, schoolId: `school-${id}`, platform: 'dnevnik', config: { id } });
  });

  const put = (linkId: string, text: string, at: string) => {
    const content = Buffer.from(text);
    return store.exports.put({ linkId, sha256: sha(content), fileName: 'export.json', format: 'json', content, receivedAt: new Date(at) });
  };

  it('keeps the bytes once per link and content; the same content again is received again, not copied', async () => {
    const first = await put('link-a', '{"a":1}', '2026-12-01T10:00:00Z');
    await put('link-a', '{"a":2}', '2026-12-02T10:00:00Z');
    expect(first).toMatchObject({ duplicate: false, record: { linkId: 'link-a', size: 7, format: 'json', fileName: 'export.json' } });
    expect((await store.exports.newest('link-a'))?.sha256).toBe(sha(Buffer.from('{"a":2}')));
    const again = await put('link-a', '{"a":1}', '2026-12-03T10:00:00Z');
    expect(again.duplicate).toBe(true);
    expect(again.record.receivedAt.toISOString()).toBe('2026-12-03T10:00:00.000Z');
    expect(await store.exports.list('link-a')).toHaveLength(2);
    expect((await store.exports.newest('link-a'))?.sha256).toBe(first.record.sha256);
    expect((await store.exports.content('link-a', first.record.sha256))?.toString()).toBe('{"a":1}');
    // Another link's exports are its own.
    expect(await store.exports.newest('link-b')).toBeNull();
    expect(await store.exports.content('link-b', first.record.sha256)).toBeNull();
  });

  it('keeps binary content byte for byte', async () => {
    const content = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 255, 1, 2, 0, 0]);
    await store.exports.put({ linkId: 'link-a', sha256: sha(content), fileName: 'e.zip', format: 'zip', content });
    expect((await store.exports.content('link-a', sha(content)))!.equals(content)).toBe(true);
  });

  it('kept exports and upload keys survive a backup and restore byte for byte', async () => {
    const content = Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 255, 92, 120, 0]);
    await store.exports.put({ linkId: 'link-a', sha256: sha(content), fileName: 'e.zip', format: 'zip', content });
    const key = await store.exports.issueUploadToken('link-a');
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-exports-backup-'));
    const target = await freshStore(kind);
    try {
      const { files } = await backupStore(store, TEST_SECRET_BOX, [dir]);
      await restoreStore(target.store, TEST_SECRET_BOX, files[0]);
      expect((await target.store.exports.content('link-a', sha(content)))!.equals(content)).toBe(true);
      expect(await target.store.exports.checkUploadToken('link-a', key)).toBe(true);
    } finally {
      await target.cleanup();
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('checks upload keys against a hash: the issued key works, another or a rotated one does not', async () => {
    expect(await store.exports.checkUploadToken('link-a', 'anything')).toBe(false);
    const key = await store.exports.issueUploadToken('link-a');
    expect(await store.exports.checkUploadToken('link-a', key)).toBe(true);
    expect(await store.exports.checkUploadToken('link-b', key)).toBe(false);
    expect(await store.exports.checkUploadToken('link-a', `${key}x`)).toBe(false);
    expect(await store.exports.checkUploadToken('link-a', undefined)).toBe(false);
    const stored = await store.db.selectFrom('export_upload_tokens').selectAll().execute();
    expect(JSON.stringify(stored)).not.toContain(key);
    const rotated = await store.exports.issueUploadToken('link-a');
    expect(await store.exports.checkUploadToken('link-a', key)).toBe(false);
    expect(await store.exports.checkUploadToken('link-a', rotated)).toBe(true);
  });

  it('retention keeps the newest per link and any an unsettled run planned from', async () => {
    const olds = [];
    for (let i = 0; i < 4; i++) olds.push((await put('link-a', `{"n":${i}}`, `2026-11-0${i + 1}T00:00:00Z`)).record);
    await put('link-b', '{"b":1}', '2026-10-01T00:00:00Z');
    // An applying run planned from the oldest of link-a.
    const run = await store.runs.create({ id: 'run-1', linkId: 'link-a', schoolId: 'school-link-a', trigger: 'person', environment: 'emulator' });
    await store.runs.update(run.id, { summary: { sourceExport: { sha256: olds[0].sha256 } } });
    expect(await purgeExports(store.db, 2)).toBe(1);
    expect((await store.exports.list('link-a')).map((e) => e.sha256).sort()).toEqual([olds[0].sha256, olds[2].sha256, olds[3].sha256].sort());
    expect(await store.exports.list('link-b')).toHaveLength(1);
    // Through the retention purge (default: 5 per link), audited with the count.
    const result = await purgeRunData(store.db, { actorOid: 'cli', actorName: 'тест' }, new Date(), { personalDataDays: 400, runYears: 5, exportsPerLink: 1 });
    expect(result.deletedExports).toBe(1);
    expect((await store.exports.list('link-a')).map((e) => e.sha256).sort()).toEqual([olds[0].sha256, olds[3].sha256].sort());
  });
});
