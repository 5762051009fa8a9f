import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../../helpers/cli-stand';

interface Outcome {
  code: number | null;
  stdout: string;
  stderr: string;
  ms: number;
}

function ejsync(args: string[], env: NodeJS.ProcessEnv): Promise<Outcome> {
  const started = Date.now();
  return new Promise((resolve) => {
    // A hang is a failure: the child is killed after 30 s and the exit code is then null.
    execFile(process.execPath, [BIN, ...args], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : null) : 0, stdout, stderr, ms: Date.now() - started });
    });
  });
}

describe('a store that cannot be reached: the CLI exits with the driver’s reason instead of hanging (built CLI, real PostgreSQL)', () => {
  let home: string;
  let env: NodeJS.ProcessEnv;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-store-fail-'));
    env = { ...process.env, EJSYNC_HOME: home };
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('ejsync runs against a closed port exits 2 within seconds, naming the reason', async () => {
    const out = await ejsync(['runs'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(out.code).toBe(2);
    expect(out.ms).toBeLessThan(15_000);
    expect(out.stderr).toMatch(/Ошибка \[store\.unavailable\].*\nПричина: .*ECONNREFUSED/);
  });

  it('a user PostgreSQL does not know: the reason is the server’s, and --json puts it on stdout', async () => {
    const out = await ejsync(['runs', '--json'], { ...env, DATABASE_URL: 'postgres://ejsync_no_such_user@127.0.0.1:5432/test' });
    expect(out.code).toBe(2);
    expect(out.ms).toBeLessThan(15_000);
    expect(JSON.parse(out.stdout)).toEqual({ error: { code: 'store.unavailable', message: expect.any(String), hint: expect.any(String), cause: expect.stringContaining('ejsync_no_such_user') } });
  });

  it('ejsync demo does not hang when its store cannot open', async () => {
    const out = await ejsync(['demo', '--pupils', '10'], { ...env, DATABASE_URL: 'postgres://postgres@127.0.0.1:1/test' });
    expect(out.code).toBe(2);
    expect(out.ms).toBeLessThan(20_000);
    expect(out.stderr).toContain('Причина: connect ECONNREFUSED');
  });
});
