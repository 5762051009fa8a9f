import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const withoutDatabaseUrl = (env: NodeJS.ProcessEnv) => {
  delete env.DATABASE_URL;
  return env;
};
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');

describe('ejsync demo (built CLI, real Redis, PGlite under a temporary EJSYNC_HOME)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-demo-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('syncs a generated school to the emulator through the queue; the second run writes nothing', async () => {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'demo', '--pupils', '60', '--json'], { env: withoutDatabaseUrl({ ...process.env, EJSYNC_HOME: home }), maxBuffer: 32 * 1024 * 1024 });
    const out = JSON.parse(stdout);
    expect(out.runs).toHaveLength(2);
    const [first, second] = out.runs;
    expect(first.status).toBe('succeeded');
    expect(first.environment).toBe('emulator');
    expect(first.emulatorWrites).toBeGreaterThan(50);
    expect(first.writes).toBe(first.emulatorWrites);
    expect(first.counts.marks.create).toBeGreaterThan(0);
    expect(first.counts.pupils.manual).toBe(1);
    expect(second.status).toBe('succeeded');
    expect(second.emulatorWrites).toBe(0);
    expect(out.manualActions).toBeGreaterThan(0);
    expect(stderr).toContain('Первая синхронизация');
  }, 120_000);
});
