import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import { emptySnapshot, type Snapshot } from '../../../src/model';
import { refreshPersonDirectory } from '../../../src/queue/refresh-person-directory';
import { identityKeys } from '../../../src/reconcile/identity/identity-keys';
import { dropSchema, openStore, type DirectoryEntryInput, type Store } from '../../../src/store';
import { DATABASE_URL, freshStore, TEST_SECRET_BOX, type StoreKind } from '../../helpers/database';

const ANNA = { lastName: 'Учителёва', firstName: 'Анна', middleName: 'Петровна', birthDate: '1980-01-01', snils: '11223344595' };

function school(id: string): Snapshot {
  const s = emptySnapshot({ sourceId: id, name: 'МБОУ СОШ № 1', timeZone: 'Asia/Yekaterinburg' });
  s.staff.push({ sourceId: 't1', ...ANNA }, { sourceId: 't2', lastName: 'Директоров', firstName: 'Иван', esiaOid: '1000100009' });
  s.pupils.push({ sourceId: 'p1', lastName: 'Иванов', firstName: 'Иван', birthDate: '2015-03-01' });
  s.guardians.push({ sourceId: 'g1', lastName: 'Иванова', firstName: 'Ольга', birthDate: '1988-07-07' });
  s.guardianLinks.push({ sourceId: 'gl1', guardianId: 'g1', pupilId: 'p1', relation: 'mother' });
  return s;
}

describe.each<StoreKind>(['postgres', 'pglite'])('person directory on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await freshStore(kind));
  });
  afterAll(async () => cleanup());

  const ids = (rows: { schoolId: string; kind: string; sourceId: string }[]) => rows.map((r) => `${r.schoolId}/${r.kind}/${r.sourceId}`);

  it('finds records by oid, by СНИЛС hash and by name + birth date hash, in every school', async () => {
    await refreshPersonDirectory(store, 'dir-a', school('dir-a'));
    await refreshPersonDirectory(store, 'dir-b', school('dir-b'));
    const bySnils = await store.personDirectory.lookup({ oid: '999', keys: identityKeys({ ...ANNA, snils: '112-233-445 95', birthDate: undefined }) });
    expect(ids(bySnils.candidates)).toEqual(['dir-a/staff/t1', 'dir-b/staff/t1']);
    const byName = await store.personDirectory.lookup({ oid: '999', keys: identityKeys({ ...ANNA, lastName: 'УЧИТЕЛЕВА', snils: undefined }) });
    expect(ids(byName.candidates)).toEqual(['dir-a/staff/t1', 'dir-b/staff/t1']);
    const byOid = await store.personDirectory.lookup({ oid: '1000100009', keys: {} });
    expect(ids(byOid.candidates)).toEqual(['dir-a/staff/t2', 'dir-b/staff/t2']);
    expect(byOid.candidates[0].esiaOid).toBe('1000100009');
    expect((await store.personDirectory.lookup({ oid: '999', keys: identityKeys({ ...ANNA, birthDate: '1980-01-02', snils: undefined }) })).candidates).toEqual([]);
    expect((await store.personDirectory.lookup({ oid: '999', keys: {} })).candidates).toEqual([]);
  });

  it('two links of one school refreshing at once both succeed; the directory is one of the two, never a mix', async () => {
    const a = school('dir-race');
    const b = school('dir-race');
    b.staff.push({ sourceId: 't3', lastName: 'Новикова', firstName: 'Мария' });
    for (let round = 0; round < 5; round++) {
      await Promise.all([refreshPersonDirectory(store, 'dir-race', a), refreshPersonDirectory(store, 'dir-race', b), refreshPersonDirectory(store, 'dir-race', a)]);
      expect([3, 4]).toContain(await store.personDirectory.count('dir-race'));
    }
    await store.personDirectory.replaceSchool('dir-race', []);
  });

  it('a guardian comes back with their children (pupil ids and hashed keys)', async () => {
    const { candidates } = await store.personDirectory.lookup({ oid: '999', keys: identityKeys({ lastName: 'Иванова', firstName: 'Ольга', birthDate: '1988-07-07' }) });
    const g = candidates.find((c) => c.schoolId === 'dir-a')!;
    expect(g.kind).toBe('guardian');
    expect(g.children).toEqual([{ pupilId: 'p1', keys: await store.personDirectory.hashKeys(identityKeys({ lastName: 'Иванов', firstName: 'Иван', birthDate: '2015-03-01' })) }]);
  });

  it('stores keyed hashes, never names, СНИЛС or birth dates', async () => {
    const rows = await store.db.selectFrom('person_directory').selectAll().where('school_id', '=', 'dir-a').execute();
    const text = JSON.stringify(rows);
    for (const raw of ['11223344595', 'учителева', 'Учителёва', '1980-01-01', 'иванов', '2015-03-01', '1988-07-07']) expect(text.toLowerCase()).not.toContain(raw.toLowerCase());
    const t1 = rows.find((r) => r.source_id === 't1')!;
    expect(t1.snils_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t1.name_birth_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(t1.snils_hash).not.toBe(t1.name_birth_hash);
    // Hash domains differ: the same text as СНИЛС and as a name key gives different hashes.
    const same = await store.personDirectory.hashKeys({ snils: 'x', nameBirth: 'x' });
    expect(same.snils).not.toBe(same.nameBirth);
  });

  it('replaceSchool replaces only that school', async () => {
    const next = school('dir-a');
    next.staff = next.staff.filter((s) => s.sourceId !== 't1');
    await refreshPersonDirectory(store, 'dir-a', next);
    expect(await store.personDirectory.count('dir-a')).toBe(2);
    expect(await store.personDirectory.count('dir-b')).toBe(3);
    const { candidates } = await store.personDirectory.lookup({ oid: '999', keys: identityKeys(ANNA) });
    expect(ids(candidates)).toEqual(['dir-b/staff/t1']);
  });

  it('replaceSchool is atomic: a failure part-way leaves the previous directory whole', async () => {
    await refreshPersonDirectory(store, 'dir-c', school('dir-c'));
    const before = await store.db.selectFrom('person_directory').selectAll().where('school_id', '=', 'dir-c').orderBy('source_id').execute();
    const many: DirectoryEntryInput[] = Array.from({ length: 700 }, (_, i) => ({ kind: 'staff', sourceId: `s${i}`, keys: { snils: String(10000000000 + i) }, children: [] }));
    // The bad row comes after the first 500-row insert has already run inside the transaction.
    many.push({ kind: 'teacher' as 'staff', sourceId: 'bad', keys: { snils: '1' }, children: [] });
    await expect(store.personDirectory.replaceSchool('dir-c', many)).rejects.toThrow();
    const after = await store.db.selectFrom('person_directory').selectAll().where('school_id', '=', 'dir-c').orderBy('source_id').execute();
    expect(after).toEqual(before);
    await store.personDirectory.replaceSchool('dir-c', many.slice(0, 700));
    expect(await store.personDirectory.count('dir-c')).toBe(700);
    await store.personDirectory.replaceSchool('dir-c', []);
    expect(await store.personDirectory.count('dir-c')).toBe(0);
  });

  it('the HMAC key is made once and kept sealed among the secrets', async () => {
    const stored = await store.db.selectFrom('secrets').selectAll().where('name', '=', 'identity.directory-hmac-key').execute();
    expect(stored).toHaveLength(1);
    expect(stored[0].key_id).toBe(TEST_SECRET_BOX.keyId);
    const secret = await store.secrets.get('identity.directory-hmac-key');
    expect(Buffer.from(secret!, 'base64')).toHaveLength(32);
  });
});

describe('person directory key across processes (PostgreSQL)', () => {
  it('two stores starting at once agree on one key, so hashes match between processes', async () => {
    const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
    const open = () => openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX, poolSize: 2 });
    const a = await open();
    const b = await open();
    try {
      const [ha, hb] = await Promise.all([a.personDirectory.hashKeys({ snils: '11223344595' }), b.personDirectory.hashKeys({ snils: '11223344595' })]);
      expect(ha.snils).toMatch(/^[0-9a-f]{64}$/);
      expect(hb).toEqual(ha);
      const c = await open();
      expect(await c.personDirectory.hashKeys({ snils: '11223344595' })).toEqual(ha);
      await c.close();
      const n = await sql<{ n: string }>`select count(*) as n from secrets where name = 'identity.directory-hmac-key'`.execute(a.db);
      expect(Number(n.rows[0].n)).toBe(1);
    } finally {
      await a.close();
      await b.close();
      await dropSchema(DATABASE_URL, schema);
    }
  });
});
