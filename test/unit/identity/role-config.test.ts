import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EjsyncError } from '../../../src/model';
import { loadRolesFile, rolesFilePath } from '../../../src/web/auth/role-config';
import { principalRoles } from '../../../src/web/auth/principal-roles';

describe('the roles file', () => {
  let dir: string;
  beforeAll(() => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-roles-unit-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  const write = (name: string, content: unknown) => {
    const file = path.join(dir, name);
    writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
    return file;
  };

  it('is EJSYNC_ROLES, else roles.json in the home folder', () => {
    expect(rolesFilePath('/srv/ejsync', {})).toBe(path.join('/srv/ejsync', 'roles.json'));
    expect(rolesFilePath('/srv/ejsync', { EJSYNC_ROLES: '/etc/ejsync/roles.json' })).toBe('/etc/ejsync/roles.json');
  });

  it('gives one assignment per role and school; the operator has no school', async () => {
    const file = write('ok.json', {
      assignments: [
        { oid: '1000100001', role: 'operator' },
        { oid: '1000100002', role: 'school_admin', schools: ['school-1', 'school-2'] },
      ],
    });
    expect(await loadRolesFile(file)).toEqual([
      { oid: '1000100001', role: 'operator', schoolId: null },
      { oid: '1000100002', role: 'school_admin', schoolId: 'school-1' },
      { oid: '1000100002', role: 'school_admin', schoolId: 'school-2' },
    ]);
  });

  it('no file → null (stored assignments are left as they are)', async () => {
    expect(await loadRolesFile(path.join(dir, 'absent.json'))).toBeNull();
  });

  it.each([
    ['a school-bound role without schools', { assignments: [{ oid: '1', role: 'viewer', schools: [] }] }, /assignments\.0\.schools: укажите хотя бы одну школу/],
    ['an operator limited to schools', { assignments: [{ oid: '1', role: 'operator', schools: ['s'] }] }, /assignments\.0/],
    ['an oid that is not digits', { assignments: [{ oid: 'ivanov', role: 'operator' }] }, /oid ЕСИА состоит из цифр/],
    ['an unknown role', { assignments: [{ oid: '1', role: 'director' }] }, /assignments\.0\.role/],
    ['broken JSON', '{ "assignments": [', /не является корректным JSON/],
  ])('refuses %s with config.invalid naming the field', async (_name, content, message) => {
    const error = await loadRolesFile(write(`bad-${Math.random()}.json`, content)).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EjsyncError);
    expect((error as EjsyncError).code).toBe('config.invalid');
    expect((error as EjsyncError).message).toMatch(message);
  });

  it('roles and schools of a principal are exactly those of the assignments', () => {
    expect(
      principalRoles([
        { role: 'school_admin', schoolId: 'school-1' },
        { role: 'viewer', schoolId: 'school-1' },
        { role: 'viewer', schoolId: 'school-3' },
      ]),
    ).toEqual({ roles: ['school_admin', 'viewer'], schoolIds: ['school-1', 'school-3'] });
    expect(principalRoles([{ role: 'operator', schoolId: null }])).toEqual({ roles: ['operator'], schoolIds: [] });
  });
});
