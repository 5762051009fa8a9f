import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openStore } from '../../../src/store';
import { TEST_SECRET_BOX } from '../../helpers/database';

/** PGlite is one process's database: the store guards its folder and says so in Russian. */
describe('embedded store (PGlite) folder lock', () => {
  let home: string;
  beforeEach(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-lock-'));
  });
  afterEach(() => rmSync(home, { recursive: true, force: true }));

  it('a second open of the same folder is refused with store.embedded_busy until the first closes', async () => {
    const first = await openStore({ home, secretBox: TEST_SECRET_BOX });
    try {
      await expect(openStore({ home, secretBox: TEST_SECRET_BOX })).rejects.toMatchObject({ code: 'store.embedded_busy', message: expect.stringContaining('уже открыта другим процессом') });
    } finally {
      await first.close();
    }
    expect(existsSync(path.join(home, 'db.lock'))).toBe(false);
    const second = await openStore({ home, secretBox: TEST_SECRET_BOX });
    await second.close();
  });

  it('a lock left by a process that is gone (killed) is taken over', async () => {
    const dead = spawnSync(process.execPath, ['-e', 'process.stdout.write(String(process.pid))'], { encoding: 'utf8' });
    mkdirSync(path.join(home, 'db'), { recursive: true });
    writeFileSync(path.join(home, 'db.lock'), dead.stdout);
    const store = await openStore({ home, secretBox: TEST_SECRET_BOX });
    await store.runs.list();
    await store.close();
  });

  it('a damaged folder gives store.embedded_damaged with what to do, not a WebAssembly abort', async () => {
    mkdirSync(path.join(home, 'db'), { recursive: true });
    writeFileSync(path.join(home, 'db', 'PG_VERSION'), 'garbage\n');
    await expect(openStore({ home, secretBox: TEST_SECRET_BOX })).rejects.toMatchObject({ code: 'store.embedded_damaged', hint: expect.stringContaining('DATABASE_URL') });
    // The failed open releases its lock.
    expect(existsSync(path.join(home, 'db.lock'))).toBe(false);
  });
});
