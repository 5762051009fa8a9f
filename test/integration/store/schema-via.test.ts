import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { readEnvironment, storeOptionsOf } from '../../../src/config/environment';
import { isEjsyncError } from '../../../src/model';
import { sql } from 'kysely';
import { dropSchema, openStore, type Store } from '../../../src/store';
import { DATABASE_URL, TEST_SECRET_BOX } from '../../helpers/database';

/** Where a connection's `search_path` came from: `client` (startup parameter), `session` (SET), `user` (ALTER ROLE). */
async function searchPathSource(store: Store): Promise<{ source: string; schema: string }> {
  const r = await sql<{ source: string; schema: string }>`select source, current_schema() as schema from pg_settings where name = 'search_path'`.execute(store.db);
  return r.rows[0];
}

async function tablesOf(schema: string): Promise<string[]> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    const r = await client.query<{ tablename: string }>('select tablename from pg_tables where schemaname = $1 order by 1', [schema]);
    return r.rows.map((row) => row.tablename);
  } finally {
    await client.end();
  }
}

async function admin(statements: string[]): Promise<void> {
  const client = new pg.Client({ connectionString: DATABASE_URL });
  await client.connect();
  try {
    for (const s of statements) await client.query(s);
  } finally {
    await client.end();
  }
}

/**
 * Issue 14 (2): behind PgBouncer the schema cannot ride on a startup parameter. `EJSYNC_DATABASE_SCHEMA_VIA`
 * chooses how connections get it; the store refuses to work in any other schema than the one named.
 */
describe('store schema without startup parameters (real PostgreSQL)', () => {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const role = `ejsync_role_${id}`;
  const schemas: string[] = [];
  const schemaName = (what: string) => {
    const s = `via_${what}_${id}`;
    schemas.push(s);
    return s;
  };
  const roleUrl = () => {
    const u = new URL(DATABASE_URL);
    u.username = role;
    u.password = '';
    return u.toString();
  };

  beforeAll(async () => {
    // A role as an operator behind PgBouncer has it: may log in, may not create schemas.
    await admin([`create role "${role}" login`]);
  });
  afterAll(async () => {
    for (const s of schemas) await dropSchema(DATABASE_URL, s);
    await admin([`drop owned by "${role}" cascade`, `drop role if exists "${role}"`]);
  });

  it('EJSYNC_DATABASE_SCHEMA_VIA is read, startup by default, and a wrong value is refused naming the variable', () => {
    expect(storeOptionsOf(readEnvironment({ DATABASE_URL, EJSYNC_DATABASE_SCHEMA: 'x' })).schemaVia).toBe('startup');
    expect(storeOptionsOf(readEnvironment({ DATABASE_URL, EJSYNC_DATABASE_SCHEMA: 'x', EJSYNC_DATABASE_SCHEMA_VIA: 'role' })).schemaVia).toBe('role');
    expect(() => readEnvironment({ EJSYNC_DATABASE_SCHEMA_VIA: 'options' })).toThrow(/EJSYNC_DATABASE_SCHEMA_VIA.*startup, connect, role/);
  });

  it('startup (default): the schema rides on the startup parameter', async () => {
    const schema = schemaName('startup');
    const store = await openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX, poolSize: 2 });
    try {
      expect(await searchPathSource(store)).toEqual({ source: 'client', schema });
    } finally {
      await store.close();
    }
  });

  it('connect: SET search_path on each new connection, no startup parameter; the store works in its schema', async () => {
    const schema = schemaName('connect');
    const store = await openStore({ databaseUrl: DATABASE_URL, schema, schemaVia: 'connect', secretBox: TEST_SECRET_BOX, poolSize: 3 });
    try {
      // Several connections at once: each was put in the schema before its first query.
      const seen = await Promise.all([1, 2, 3, 4, 5, 6].map(() => searchPathSource(store)));
      expect(new Set(seen.map((s) => `${s.source}:${s.schema}`))).toEqual(new Set([`session:${schema}`]));
      await store.links.upsert({ id: 'link-via', name: 'n', schoolId: 's', platform: 'dnevnik', config: { id: 'link-via' } as never });
      expect((await store.links.list()).map((l) => l.id)).toEqual(['link-via']);
      expect(await tablesOf(schema)).toEqual(expect.arrayContaining(['links', 'runs', 'deliveries', 'kysely_migration']));
    } finally {
      await store.close();
    }
  });

  it('role: nothing sent, the role’s search_path names the schema — a role that cannot create schemas works in one made for it; two processes start at once', async () => {
    const schema = schemaName('role');
    await admin([`create schema "${schema}" authorization "${role}"`, `alter role "${role}" in database test set search_path = "${schema}"`]);
    const [a, b] = await Promise.all([0, 1].map(() => openStore({ databaseUrl: roleUrl(), schema, schemaVia: 'role', secretBox: TEST_SECRET_BOX, poolSize: 2 })));
    try {
      expect(await searchPathSource(a)).toEqual({ source: 'database user', schema });
      await a.links.upsert({ id: 'link-role', name: 'n', schoolId: 's', platform: 'dnevnik', config: { id: 'link-role' } as never });
      expect((await b.links.list()).map((l) => l.id)).toEqual(['link-role']);
      expect(await tablesOf(schema)).toEqual(expect.arrayContaining(['links', 'runs', 'deliveries', 'kysely_migration']));
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('role without the schema in its search_path: refused with store.schema_not_applied, nothing created elsewhere', async () => {
    const schema = schemaName('norole');
    await admin([`create schema "${schema}" authorization "${role}"`, `alter role "${role}" in database test reset search_path`]);
    const error = await openStore({ databaseUrl: roleUrl(), schema, schemaVia: 'role', secretBox: TEST_SECRET_BOX, poolSize: 2 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isEjsyncError(error) && error.code).toBe('store.schema_not_applied');
    expect(isEjsyncError(error) && error.detail).toMatch(new RegExp(`EJSYNC_DATABASE_SCHEMA=${schema}.*role`));
    expect(await tablesOf(schema)).toEqual([]);
    const owned = new pg.Client({ connectionString: DATABASE_URL });
    await owned.connect();
    try {
      // Not in public either (where a role without its search_path would have put them).
      expect((await owned.query("select 1 from pg_tables where tableowner = $1 and schemaname not like 'via_role_%'", [role])).rowCount).toBe(0);
    } finally {
      await owned.end();
    }
  });
});
