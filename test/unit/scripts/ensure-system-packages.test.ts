import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const script = resolve(__dirname, '../../../scripts/ensure-system-packages.sh');

/** Runs the script with fake dpkg/apt-get/id/sudo first on PATH; `installed` lists packages dpkg reports. */
function run(opts: { installed: string[]; uid: number; sudoWorks?: boolean; aptInstalls?: boolean }) {
  const dir = mkdtempSync(join(tmpdir(), 'ensure-pkgs-'));
  const db = join(dir, 'installed');
  const log = join(dir, 'apt.log');
  writeFileSync(db, opts.installed.map((p) => `${p}\n`).join(''));
  const bin = (name: string, body: string) => {
    writeFileSync(join(dir, name), `#!/usr/bin/env bash\n${body}\n`);
    chmodSync(join(dir, name), 0o755);
  };
  bin('dpkg', `[ "$1" = "-s" ] && grep -qx "$2" "${db}"`);
  bin(
    'apt-get',
    `echo "$*" >> "${log}"\n` +
      (opts.aptInstalls === false
        ? 'exit 0'
        : `if [ "$1" = install ]; then for a in "$@"; do case "$a" in -*|install) ;; *) echo "$a" >> "${db}";; esac; done; fi`),
  );
  bin('id', `echo ${opts.uid}`);
  bin('sudo', opts.sudoWorks ? `[ "$1" = -n ] && shift; "$@"` : 'exit 1');
  const result = spawnSync('bash', [script], {
    env: { PATH: `${dir}:${process.env.PATH ?? ''}`, EJSYNC_SYSTEM_PACKAGES: 'libengine-gost-openssl chromium' },
    encoding: 'utf8',
  });
  const apt = existsSync(log) ? readFileSync(log, 'utf8') : '';
  rmSync(dir, { recursive: true, force: true });
  return { status: result.status, stderr: result.stderr, apt };
}

describe('scripts/ensure-system-packages.sh', () => {
  it('does nothing when both packages are installed', () => {
    const r = run({ installed: ['libengine-gost-openssl', 'chromium'], uid: 1000 });
    expect(r.status).toBe(0);
    expect(r.apt).toBe('');
  });

  it('installs only the missing package with apt-get when root', () => {
    const r = run({ installed: ['chromium'], uid: 0 });
    expect(r.status).toBe(0);
    expect(r.apt).toContain('update');
    expect(r.apt).toMatch(/install -y -qq --no-install-recommends libengine-gost-openssl\n/);
    expect(r.apt).not.toMatch(/install.*chromium/);
  });

  it('installs through sudo when not root but sudo works without a password', () => {
    const r = run({ installed: [], uid: 1000, sudoWorks: true });
    expect(r.status).toBe(0);
    expect(r.apt).toMatch(/--no-install-recommends libengine-gost-openssl chromium/);
  });

  it('fails naming the packages and the command when it cannot install', () => {
    const r = run({ installed: [], uid: 1000, sudoWorks: false });
    expect(r.status).toBe(1);
    expect(r.apt).toBe('');
    expect(r.stderr).toContain('missing Debian packages: libengine-gost-openssl chromium');
    expect(r.stderr).toContain('apt-get install -y --no-install-recommends libengine-gost-openssl chromium');
  });

  it('fails when apt-get finishes but the package is still absent', () => {
    const r = run({ installed: ['chromium'], uid: 0, aptInstalls: false });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('libengine-gost-openssl is still not installed');
  });
});
