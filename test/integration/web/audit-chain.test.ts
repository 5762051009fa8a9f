import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { promisify } from 'node:util';
import { sql } from 'kysely';
import { Kysely, PostgresDialect } from 'kysely';
import pg from 'pg';
import * as m0001 from '../../../src/store/migrations/0001-initial';
import * as m0011 from '../../../src/store/migrations/0011-audit-chain';
import { AuditRepository, dropSchema, openStore, type Store } from '../../../src/store';
import type { Database } from '../../../src/store/schema';
import { DATABASE_URL, freshStore, TEST_SECRET_BOX, type StoreKind } from '../../helpers/database';

const run = promisify(execFile);
const BIN = path.resolve(__dirname, '../../../bin/ejsync.js');
const actor = { actorOid: '1000100002', actorName: 'Админов Сергей Петрович' };

async function fill(store: Store) {
  for (let i = 0; i < 12; i++) {
    await store.audit.append({ ...actor, action: i % 2 ? 'run.approved' : 'manual_actions.done', objectType: 'run', objectId: `run-${i}`, schoolId: 'school-1', details: { reason: `причина ${i}`, nested: { b: 1, a: [i, 'x'] }, before: 'open', after: 'done' } });
  }
}

describe.each(['postgres', 'pglite'] as StoreKind[])('the audit trail is a hash chain (%s)', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await freshStore(kind));
    await fill(store);
  });
  afterAll(async () => cleanup());

  it('every row is chained; writers from concurrent transactions still form one chain', async () => {
    await Promise.all(Array.from({ length: 8 }, (_, i) => store.audit.append({ ...actor, action: 'export.download', objectType: 'run', details: { n: i } })));
    const report = await store.audit.verifyChain(5);
    expect(report).toMatchObject({ rows: 20, broken: null });
    expect(report.head).toMatch(/^[0-9a-f]{64}$/);
  });

  it('a changed row breaks the chain at that row; so does a removed one', async () => {
    const [victim] = (await sql<{ id: string }>`select id::text as id from audit order by audit.id limit 1 offset 4`.execute(store.db)).rows;
    await sql`update audit set details = jsonb_set(details, '{reason}', '"подменено"') where id = ${victim.id}::bigint`.execute(store.db);
    expect((await store.audit.verifyChain()).broken).toMatchObject({ id: victim.id, reason: 'hash' });
    await sql`delete from audit where id = ${victim.id}::bigint`.execute(store.db);
    const after = await store.audit.verifyChain();
    expect(after.rows).toBe(4);
    expect(after.broken).toMatchObject({ reason: 'link' });
    expect(Number(after.broken!.id)).toBeGreaterThan(Number(victim.id));
  });
});

describe('ejsync audit verify (the built CLI, real PostgreSQL)', () => {
  const schema = `a_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const env = { ...process.env, DATABASE_URL, EJSYNC_DATABASE_SCHEMA: schema, EJSYNC_SECRET_KEY: Buffer.alloc(32, 7).toString('base64'), EJSYNC_LOG_LEVEL: 'warn' };
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX, poolSize: 2 });
    await fill(store);
  });
  afterAll(async () => {
    await store.close();
    await dropSchema(DATABASE_URL, schema);
  });
  const cli = async (args: string[]) => run(process.execPath, [BIN, ...args], { env }).then(
    (r) => ({ code: 0, ...r }),
    (e: { code: number; stdout: string; stderr: string }) => ({ code: e.code, stdout: e.stdout, stderr: e.stderr }),
  );

  it('exit 0 on an untouched trail, exit 1 naming the first tampered row', async () => {
    const ok = await cli(['audit', 'verify']);
    expect(ok).toMatchObject({ code: 0, stdout: expect.stringContaining('ЦЕЛ: журнал действий не изменён — проверено записей: 12.') });
    const [victim] = (await sql<{ id: string }>`select id::text as id from audit order by audit.id limit 1 offset 7`.execute(store.db)).rows;
    await sql`update audit set actor_name = 'Кто-то Другой' where id = ${victim.id}::bigint`.execute(store.db);
    const bad = await cli(['audit', 'verify']);
    expect(bad.code).toBe(1);
    expect(bad.stdout).toContain('НАРУШЕН: Журнал действий изменён');
    expect(bad.stdout).toContain(`№ ${victim.id}`);
    expect(bad.stdout).toContain('запись изменена');
    const json = await cli(['audit', 'verify', '--json']);
    expect(json.code).toBe(1);
    expect(JSON.parse(json.stdout)).toMatchObject({ ok: false, rows: 7, code: 'audit.chain_broken', broken: { id: victim.id, reason: 'hash' } });
  });
});

describe('migration 0011 chains the rows written before it (real PostgreSQL)', () => {
  const schema = `c_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let db: Kysely<Database>;
  afterAll(async () => {
    await db?.destroy();
    await dropSchema(DATABASE_URL, schema);
  });

  it('old rows (instants in microseconds, jsonb details) verify after the migration; a change after it is found', async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    await admin.end();
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: DATABASE_URL, max: 2, options: `-c search_path="${schema}"` }) }) });
    await m0001.up(db as Kysely<unknown>);
    for (let i = 0; i < 5; i++) {
      await sql`insert into audit (at, actor_oid, actor_name, action, object_type, details) values (clock_timestamp(), '1', 'Старый Оператор', 'run.approved', 'run', ${JSON.stringify({ z: i, a: 'x' })}::jsonb)`.execute(db);
    }
    await m0011.up(db as Kysely<unknown>);
    const repo = new AuditRepository(db);
    expect(await repo.verifyChain()).toMatchObject({ rows: 5, broken: null });
    await repo.append({ ...actor, action: 'run.discarded', objectType: 'run', details: { reason: 'после миграции' } });
    expect(await repo.verifyChain()).toMatchObject({ rows: 6, broken: null });
    await sql`update audit set action = 'run.applying' where id = 3`.execute(db);
    expect((await repo.verifyChain()).broken).toMatchObject({ id: '3', reason: 'hash' });
  });
});
