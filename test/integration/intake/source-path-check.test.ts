import { createHash } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { checkSourcePaths } from '../../../src/queue/intake/link-source';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';

/** Issue 14 (1): a worker starting on a host checks the links it will plan from a path. */
describe('a worker checks the source paths of links with no uploaded export', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let dir: string;
  beforeAll(async () => {
    ({ store, cleanup } = await freshStore('pglite'));
    dir = await mkdtemp(path.join(tmpdir(), 'ejsync-paths-'));
  });
  afterAll(async () => {
    await cleanup();
    await rm(dir, { recursive: true, force: true });
  });

  it('warns (coded, naming link and path) for an unreadable path; a readable path, an uploaded export or a paused link are fine', async () => {
    const readable = path.join(dir, 'export.json');
    await writeFile(readable, '{}');
    const missing = path.join(dir, 'gone', 'export.zip');
    const link = (id: string, sourcePath: string, paused = false) => store.links.upsert({ id, name: id, schoolId: `school-${id}`, platform: 'dnevnik', paused, config: { id, source: { path: sourcePath } } });
    await link('link-ok', readable);
    await link('link-missing', missing);
    await link('link-uploaded', missing);
    await link('link-paused', missing, true);
    const content = Buffer.from('{"format":"ejsync-mis"}');
    await store.exports.put({ linkId: 'link-uploaded', sha256: createHash('sha256').update(content).digest('hex'), fileName: 'export.json', format: 'json', content });
    const warnings: { fields: Record<string, unknown>; message: string }[] = [];
    const problems = await checkSourcePaths(store, { warn: (fields: Record<string, unknown>, message: string) => warnings.push({ fields, message }) } as never);
    expect(problems).toEqual([{ linkId: 'link-missing', path: missing }]);
    expect(warnings).toHaveLength(1);
    expect(warnings[0].fields).toMatchObject({ linkId: 'link-missing', path: missing, code: 'intake.source_path_unreadable' });
    expect(warnings[0].message).toMatch(/[А-Яа-я]/);
  });
});
