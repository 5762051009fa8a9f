import { randomUUID } from 'node:crypto';
import { sql } from 'kysely';
import pg from 'pg';
import { isEjsyncError } from '../../../src/model';
import { dropSchema, openStore } from '../../../src/store';
import { DATABASE_URL, TEST_SECRET_BOX } from '../../helpers/database';
import { startPgBouncer } from '../../helpers/pgbouncer';

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
 * Issue 14 (2): the store behind a real PgBouncer in transaction pooling, its schema given by the
 * role's `search_path` (`EJSYNC_DATABASE_SCHEMA_VIA=role`), several processes starting at once.
 */
describe('store behind PgBouncer, transaction pooling (real PgBouncer and PostgreSQL)', () => {
  const id = randomUUID().replace(/-/g, '').slice(0, 10);
  const role = `ejsync_pgb_${id}`;
  const schema = `pgb_${id}`;
  const target = new URL(DATABASE_URL);
  const database = { name: target.pathname.slice(1), host: target.hostname, port: Number(target.port || 5432) };
  let bouncer: Awaited<ReturnType<typeof startPgBouncer>>;
  const urlThroughBouncer = () => `postgres://${role}@127.0.0.1:${bouncer.port}/${database.name}`;

  beforeAll(async () => {
    await admin([`create role "${role}" login`, `create schema "${schema}" authorization "${role}"`, `alter role "${role}" in database "${database.name}" set search_path = "${schema}"`]);
    bouncer = await startPgBouncer({ poolMode: 'transaction', database, users: [role] });
  });
  afterAll(async () => {
    await bouncer?.stop();
    await dropSchema(DATABASE_URL, schema);
    await admin([`drop owned by "${role}" cascade`, `drop role if exists "${role}"`]);
  });

  it('role: three stores start at once (one migrates), write and read in the schema through shared server connections', async () => {
    const stores = await Promise.all([0, 1, 2].map(() => openStore({ databaseUrl: urlThroughBouncer(), schema, schemaVia: 'role', secretBox: TEST_SECRET_BOX, poolSize: 4 })));
    try {
      const [a, b, c] = stores;
      await a.links.upsert({ id: 'link-pgb', name: 'n', schoolId: 's', platform: 'dnevnik', config: { id: 'link-pgb' } as never });
      expect((await b.links.list()).map((l) => l.id)).toEqual(['link-pgb']);
      // Twelve client connections over three server connections: every statement in the schema.
      const seen = await Promise.all(Array.from({ length: 30 }, (_, i) => sql<{ s: string }>`select current_schema() as s`.execute(stores[i % 3].db).then((r) => r.rows[0].s)));
      expect([...new Set(seen)]).toEqual([schema]);
      // Transaction-scoped advisory locks (id map writers) through the pooler.
      await Promise.all([a, b, c].map((s, i) => s.idMap.put('link-pgb', [{ entity: 'pupils', sourceId: `p${i}`, targetId: `t${i}`, matchedBy: 'created' }])));
      expect((await c.idMap.targetIds('link-pgb', 'pupils', ['p0', 'p1', 'p2'])).size).toBe(3);
    } finally {
      await Promise.all(stores.map((s) => s.close()));
    }
    // The migration lock was released: a later start does not wait for it.
    const later = await openStore({ databaseUrl: urlThroughBouncer(), schema, schemaVia: 'role', secretBox: TEST_SECRET_BOX, poolSize: 1 });
    await later.close();
  });

  it('startup (the default) is refused by PgBouncer, naming the startup parameter', async () => {
    const error = await openStore({ databaseUrl: urlThroughBouncer(), schema, secretBox: TEST_SECRET_BOX, poolSize: 1 }).then(
      () => null,
      (e: unknown) => e,
    );
    expect(isEjsyncError(error) && error.code).toBe('store.unavailable');
    expect(((error as Error).cause as Error).message).toMatch(/unsupported startup parameter: options/);
  });
});
