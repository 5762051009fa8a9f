import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { BIN } from '../../helpers/cli-stand';

function cli(args: string[], env: NodeJS.ProcessEnv): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, ...env } }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    );
  });
}

/** `ejsync backup`, `backup verify` and `restore` as an administrator runs them (embedded store, built CLI). */
describe('ejsync backup / backup verify / restore (built CLI, PGlite)', () => {
  const root = mkdtempSync(path.join(os.tmpdir(), 'ejsync-backup-cli-'));
  const key = Buffer.alloc(32, 3).toString('base64');
  const env = (home: string) => ({ EJSYNC_HOME: path.join(root, home), EJSYNC_SECRET_KEY: key, DATABASE_URL: '', EJSYNC_LOG_LEVEL: 'warn' });
  afterAll(() => rmSync(root, { recursive: true, force: true }));

  it('backs up to two folders, verifies, refuses a damaged copy, restores into a new home', async () => {
    const a = path.join(root, 'media-a');
    const b = path.join(root, 'media-b');
    const made = await cli(['backup', '--to', a, '--to', b], env('home-1'));
    expect(made.stderr).toBe('');
    expect(made.code).toBe(0);
    expect(made.stdout).toMatch(/Резервная копия создана и проверена/);
    const name = readdirSync(a).find((n) => n.endsWith('.ejb'))!;
    expect(readdirSync(b)).toContain(name);
    expect(readFileSync(path.join(b, `${name}.sha256`), 'utf8')).toMatch(new RegExp(`^[0-9a-f]{64}  ${name.replace(/\./g, '\\.')}\\n$`));

    const ok = await cli(['backup', 'verify', path.join(a, name), path.join(b, name)], env('home-1'));
    expect(ok.code).toBe(0);
    expect(ok.stdout.match(/ЦЕЛА/g)).toHaveLength(2);

    const bytes = readFileSync(path.join(b, name));
    bytes[bytes.length - 40] ^= 0xff;
    writeFileSync(path.join(b, name), bytes);
    const bad = await cli(['backup', 'verify', path.join(a, name), path.join(b, name)], env('home-1'));
    expect(bad.code).toBe(1);
    expect(bad.stdout).toMatch(/ПОВРЕЖДЕНА .*\[backup\.damaged\]/);

    const restored = await cli(['restore', path.join(a, name)], env('home-2'));
    expect(restored.stderr).toBe('');
    expect(restored.code).toBe(0);
    expect(restored.stdout).toMatch(/Контрольные суммы сошлись/);
    const again = await cli(['restore', path.join(a, name)], env('home-2'));
    expect(again.code).toBe(2);
    expect(again.stderr).toMatch(/\[backup\.store_not_empty\]/);
    expect(again.stderr).not.toMatch(/\n\s+at /);

    const wrongKey = await cli(['backup', 'verify', path.join(a, name)], { ...env('home-1'), EJSYNC_SECRET_KEY: Buffer.alloc(32, 4).toString('base64') });
    expect(wrongKey.code).toBe(1);
    expect(wrongKey.stdout).toMatch(/backup\.wrong_key/);
  }, 120_000);
});
