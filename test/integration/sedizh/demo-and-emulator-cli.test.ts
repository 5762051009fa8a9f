import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');
const withoutDatabaseUrl = (env: NodeJS.ProcessEnv) => {
  delete env.DATABASE_URL;
  return env;
};

describe('ejsync demo --target sedizh and ejsync emulator sedizh (built CLI)', () => {
  let home: string;
  beforeAll(() => {
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-demo-sedizh-'));
  });
  afterAll(() => rmSync(home, { recursive: true, force: true }));

  it('the demo syncs the generated school into the СЭДиЖ emulator: the same report shape, the second run writes nothing', async () => {
    const { stdout, stderr } = await run(process.execPath, [BIN, 'demo', '--target', 'sedizh', '--pupils', '12', '--json'], { env: withoutDatabaseUrl({ ...process.env, EJSYNC_HOME: home }), maxBuffer: 32 * 1024 * 1024 });
    const out = JSON.parse(stdout);
    const [first, second] = out.runs;
    expect(first).toMatchObject({ status: 'succeeded', environment: 'emulator' });
    expect(first.writes).toBe(first.emulatorWrites);
    expect(first.counts.pupils.create).toBe(12);
    expect(first.counts.attendance.create).toBeGreaterThan(0);
    expect(second).toMatchObject({ status: 'succeeded', emulatorWrites: 0 });
    expect(out.manualActions).toBe(0);
    expect(stderr).toMatch(/Принято платформой, вступит в силу с 2026-11-23/);
  }, 240_000);

  it('an unknown --target exits 2 with a Russian message', async () => {
    const failed = await run(process.execPath, [BIN, 'demo', '--target', 'moodle'], { env: withoutDatabaseUrl({ ...process.env, EJSYNC_HOME: home }) }).catch((e: { code: number; stderr: string }) => e);
    expect(failed).toMatchObject({ code: 2, stderr: expect.stringContaining('--target: ожидается dnevnik, sedizh или oneroster') });
  });

  it('the emulator command starts, says it is a sandbox, and answers an export', async () => {
    const child = spawn(process.execPath, [BIN, 'emulator', 'sedizh', '--port', '0', '--cutoff', '15:30'], { stdio: ['ignore', 'pipe', 'pipe'] });
    try {
      let text = '';
      const url = await new Promise<string>((resolve, reject) => {
        child.stdout.on('data', (c: Buffer) => {
          text += c.toString();
          const m = /запущен: (http:\/\/127\.0\.0\.1:\d+)/.exec(text);
          if (m && text.includes('Остановка')) resolve(m[1]);
        });
        child.once('exit', () => reject(new Error(text)));
      });
      expect(text).toContain('это НЕ платформа');
      expect(text).toContain('Час отсечки: 15:30');
      const res = await fetch(`${url}/export?school=5900000001`);
      expect(res.status).toBe(200);
      expect(await res.text()).toContain('<Kind>export</Kind>');
    } finally {
      child.kill('SIGTERM');
      await new Promise((r) => child.once('exit', r));
    }
  });
});
