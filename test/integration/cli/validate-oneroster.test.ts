import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');
const FIXTURES = path.resolve(__dirname, '../../fixtures/oneroster');

async function ejsync(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [BIN, ...args]);
    return { code: 0, stdout, stderr };
  } catch (error) {
    const e = error as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** A OneRoster 1.2 delta that adds one pupil and leaves orgs.csv out. */
function writeDelta(dir: string): void {
  const stamp = '2026-10-01T08:00:00Z';
  const files: Record<string, string[]> = {
    'manifest.csv': ['propertyName,value', 'manifest.version,1.0', 'oneroster.version,1.2', 'file.users,delta', 'file.roles,delta', 'file.demographics,delta', 'file.orgs,absent'],
    'users.csv': ['sourcedId,status,dateLastModified,enabledUser,username,givenName,familyName', `p3,active,${stamp},true,a.novikova,Алиса,Новикова`],
    'roles.csv': ['sourcedId,status,dateLastModified,userSourcedId,roleType,role,orgSourcedId', `r-p3,active,${stamp},p3,primary,student,sch-1`],
    'demographics.csv': ['sourcedId,status,dateLastModified,birthDate,sex', `p3,active,${stamp},2015-04-11,female`],
  };
  for (const [name, lines] of Object.entries(files)) writeFileSync(path.join(dir, name), `${lines.join('\r\n')}\r\n`);
}

describe('ejsync validate on OneRoster packages (the built CLI, issue 15)', () => {
  let tmp: string;
  beforeAll(() => {
    tmp = mkdtempSync(path.join(os.tmpdir(), 'ejsync-validate-or-'));
    writeDelta(tmp);
  });
  afterAll(() => rmSync(tmp, { recursive: true, force: true }));

  it('--school names the school of a delta without orgs.csv: exit 0; without it the package is read but invalid: exit 1', async () => {
    const named = await ejsync('validate', tmp, '--school', 'sch-1', '--json');
    expect(named.code).toBe(0);
    expect(JSON.parse(named.stdout)).toMatchObject({ format: 'oneroster', counts: { pupils: 1 }, findings: [] });
    const unnamed = await ejsync('validate', tmp);
    expect(unnamed.code).toBe(1);
    expect(unnamed.stdout).toContain('--school');
  });

  it('another roster format is refused as not OneRoster (exit 2), with the Russian hint', async () => {
    const r = await ejsync('validate', path.join(FIXTURES, 'sds-v2.1'));
    expect(r.code).toBe(2);
    expect(r.stdout).toContain('не является пакетом OneRoster');
    expect(r.stdout).toContain('School Data Sync');
    expect(r.stdout + r.stderr).not.toMatch(/\n\s+at /);
  });
});
