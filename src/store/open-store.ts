import { mkdirSync } from 'node:fs';
import { acquireDataDirLock } from './data-dir-lock';
import path from 'node:path';
import { Kysely, Migrator, PostgresAdapter, PostgresDialect, sql, type DatabaseIntrospector, type Dialect, type Migration, type MigrationProvider } from 'kysely';
import pg from 'pg';
import * as m0001 from './migrations/0001-initial';
import * as m0002 from './migrations/0002-identity-directory';
import * as m0003 from './migrations/0003-delivery-detail';
import * as m0004 from './migrations/0004-delivered-payload';
import * as m0006 from './migrations/0006-period-locks';
import * as m0007 from './migrations/0007-one-run-per-link';
import * as m0009 from './migrations/0009-personal-data-at-rest';
import * as m0010 from './migrations/0010-changes-by-pupil';
import * as m0011 from './migrations/0011-audit-chain';
import * as m0012 from './migrations/0012-run-data-retention';
import * as m0013 from './migrations/0013-exports';
import type { Database } from './schema';
import type { SchemaVia } from '../config/schema-via';
import { EjsyncError, isEjsyncError } from '../model';

/** `postgres://user:secret@host/db` → `postgres://host/db` for messages. */
export function redactDatabaseUrl(url: string): string {
  try {
    const u = new URL(url);
    u.password = '';
    u.username = '';
    return u.toString();
  } catch {
    return '(неверная строка подключения)';
  }
}

// 64-bit bigserial ids stay strings (never a JS number); timestamps come back as Dates.
pg.types.setTypeParser(20, (v) => v);

const MIGRATIONS: Record<string, Migration> = {
  '0001-initial': m0001,
  '0002-identity-directory': m0002,
  '0003-delivery-detail': m0003,
  '0004-delivered-payload': m0004,
  '0006-period-locks': m0006,
  '0007-one-run-per-link': m0007,
  '0009-personal-data-at-rest': m0009,
  '0010-changes-by-pupil': m0010,
  '0011-audit-chain': m0011,
  '0012-run-data-retention': m0012,
  '0013-exports': m0013,
};

class InCodeMigrations implements MigrationProvider {
  async getMigrations() {
    return MIGRATIONS;
  }
}

export interface OpenDatabaseOptions {
  /** PostgreSQL connection string; absent → PGlite. */
  databaseUrl?: string;
  /** PGlite data folder is `<home>/db`; `':memory:'` keeps it in memory. @defaultValue `./.ejsync` */
  home?: string;
  /** PostgreSQL schema to work in (created if missing); tests use one per file. @defaultValue `public` */
  schema?: string;
  /** Pool size for PostgreSQL. @defaultValue 10 */
  poolSize?: number;
  /**
   * How each connection is put in `schema` (`EJSYNC_DATABASE_SCHEMA_VIA`): `startup` — the startup
   * parameter `options=-c search_path=…` (PostgreSQL directly; PgBouncer refuses it); `connect` —
   * `SET search_path` on each new connection (PostgreSQL directly, PgBouncer in session pooling);
   * `role` — nothing is sent: the role's own `search_path` (`ALTER ROLE … SET search_path`) must name
   * the schema (any pooling, transaction pooling included). In every mode the store checks at start
   * that its connections are in the schema. @defaultValue `startup`
   */
  schemaVia?: SchemaVia;
}


export interface OpenedDatabase {
  db: Kysely<Database>;
  kind: 'postgres' | 'pglite';
  close(): Promise<void>;
}

async function openPglite(home: string): Promise<OpenedDatabase> {
  // PGlite is ESM-only; Node 20.19+ loads it through require(esm) in the compiled CommonJS.
  const { PGlite } = await import('@electric-sql/pglite');
  const { PGliteDialect } = await import('kysely-pglite-dialect');
  let dataDir: string | undefined;
  if (home !== ':memory:') {
    dataDir = path.join(home, 'db');
    mkdirSync(dataDir, { recursive: true });
  }
  // PGlite is one process's database: a second process opening the same folder corrupts it.
  const lock = dataDir ? acquireDataDirLock(dataDir) : null;
  let client;
  try {
    client = dataDir ? new PGlite(dataDir) : new PGlite();
    await client.waitReady;
  } catch (cause) {
    lock?.release();
    throw new EjsyncError('store.embedded_damaged', { cause, detail: dataDir });
  }
  // The dialect's typings come from kysely's ESM build; the runtime class is the same.
  const db = new Kysely<Database>({ dialect: new PGliteDialect(client) as unknown as Dialect });
  return {
    db,
    kind: 'pglite',
    close: async () => {
      try {
        await db.destroy();
      } finally {
        lock?.release();
      }
    },
  };
}

/**
 * Kysely's own migration lock is a session advisory lock taken outside the migration's transaction:
 * through PgBouncer's transaction pooling, taking and releasing it may land on two server
 * connections and the lock is never released. `openPostgres` serialises migrations itself (a
 * transaction-scoped lock), so the migrator takes none.
 */
class StoreAdapter extends PostgresAdapter {
  override async acquireMigrationLock(): Promise<void> {}
  override async releaseMigrationLock(): Promise<void> {}
}

class StoreDialect extends PostgresDialect {
  override createAdapter(): StoreAdapter {
    return new StoreAdapter();
  }
}

/**
 * Takes the migration lock for `key`: a transaction-scoped advisory lock in a transaction left open
 * on `client` (released by its commit, or with the connection). Tried without waiting and again
 * after a pause, so a process waiting for it holds no server connection of a pooler (PgBouncer's
 * transaction pooling hands a connection to a client only while it is in a transaction): processes
 * starting at once cannot take all of the pooler's connections from the one that migrates.
 */
async function takeMigrationLock(client: pg.Client, key: string): Promise<void> {
  for (let pause = 50; ; pause = Math.min(pause * 2, 1000)) {
    await client.query('begin');
    const taken = await client.query<{ ok: boolean }>('select pg_try_advisory_xact_lock(hashtext($1)) as ok', [key]);
    if (taken.rows[0]?.ok) return;
    await client.query('rollback');
    await new Promise((resolve) => setTimeout(resolve, pause));
  }
}

async function openPostgres(url: string, schema: string | undefined, poolSize: number, via: SchemaVia): Promise<OpenedDatabase & { unlock(): Promise<void> }> {
  if (schema && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) throw new RangeError(`bad schema name: ${schema}`);
  // One process at a time creates the schema and migrates: a transaction-scoped advisory lock held
  // in an open transaction on a connection of its own until the migrations are done (a session
  // lock would not survive PgBouncer's transaction pooling).
  const lock = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5000 });
  try {
    await lock.connect();
  } catch (cause) {
    throw new EjsyncError('store.unavailable', { cause, detail: redactDatabaseUrl(url) });
  }
  const unlock = async () => {
    try {
      await lock.query('commit');
    } catch {
      // The connection is gone (a timeout killed it): its lock went with it.
    } finally {
      await lock.end().catch(() => undefined);
    }
  };
  try {
    await takeMigrationLock(lock, `ejsync-migrate-${schema ?? 'public'}`);
  } catch (error) {
    await lock.end().catch(() => undefined);
    throw error;
  }
  const pool = new pg.Pool({ connectionString: url, max: poolSize, ...(schema && via === 'startup' ? { options: `-c search_path="${schema}"` } : {}) });
  // Queued before anything else the connection runs (node-postgres runs a client's queries in order).
  if (schema && via === 'connect') pool.on('connect', (client) => void client.query(`set search_path to "${schema}"`).catch(() => undefined));
  const db = new Kysely<Database>({ dialect: new StoreDialect({ pool }) });
  const fail = async (error: unknown): Promise<never> => {
    await unlock();
    await db.destroy().catch(() => undefined);
    throw error;
  };
  if (schema) {
    let current: string | null = null;
    try {
      // Created outside the lock's transaction, so every connection sees it. A role without CREATE
      // on the database works in a schema made for it beforehand: it is only created when missing.
      const exists = await sql`select 1 from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db);
      if (!exists.rows.length) await sql.raw(`create schema "${schema}"`).execute(db);
      current = (await sql<{ s: string | null }>`select current_schema() as s`.execute(db)).rows[0]?.s ?? null;
    } catch (cause) {
      return fail(isEjsyncError(cause) ? cause : new EjsyncError('store.unavailable', { cause, detail: redactDatabaseUrl(url) }));
    }
    // A pooler that drops the startup parameter (PgBouncer's `ignore_startup_parameters = options`)
    // or a role without the schema in its search_path would put the tables in another schema.
    if (current !== schema) {
      return fail(new EjsyncError('store.schema_not_applied', { detail: `EJSYNC_DATABASE_SCHEMA=${schema}, EJSYNC_DATABASE_SCHEMA_VIA=${via}, схема соединения: ${current ?? 'нет'}` }));
    }
  }
  return { db, kind: 'postgres', close: async () => db.destroy(), unlock };
}

/**
 * The database as the migrator sees it, introspecting only `schema`. Kysely's own introspection reads
 * every column of every table in every schema (with `pg_get_serial_sequence` per column): when
 * another installation or test drops its schema at that moment, the query fails with «schema … does
 * not exist» and the migration with it. The migrator needs only whether its own tables exist.
 */
function withSchemaScopedIntrospection(db: Kysely<Database>, schema: string): Kysely<Database> {
  const introspection: DatabaseIntrospector = {
    async getSchemas() {
      const rows = await sql<{ name: string }>`select nspname as name from pg_catalog.pg_namespace where nspname = ${schema}`.execute(db);
      return rows.rows.map((r) => ({ name: r.name }));
    },
    async getTables() {
      const rows = await sql<{ name: string; kind: string }>`
        select c.relname as name, c.relkind as kind from pg_catalog.pg_class c join pg_catalog.pg_namespace n on n.oid = c.relnamespace
        where n.nspname = ${schema} and c.relkind in ('r', 'v', 'p')`.execute(db);
      return rows.rows.map((r) => ({ name: r.name, schema, isView: r.kind === 'v', columns: [] }));
    },
    async getMetadata() {
      return { tables: await this.getTables() };
    },
  };
  return new Proxy(db, {
    get(target, property) {
      if (property === 'introspection') return introspection;
      const value = Reflect.get(target, property, target) as unknown;
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/**
 * Opens the database (PostgreSQL via `databaseUrl`, else PGlite — same SQL) and applies the
 * versioned migrations. On PostgreSQL an advisory lock (transaction-scoped, so PgBouncer's transaction
 * pooling keeps it) makes processes starting at once take turns.
 */
export async function openDatabase(options: OpenDatabaseOptions = {}): Promise<OpenedDatabase> {
  const opened: OpenedDatabase & { unlock?: () => Promise<void> } = options.databaseUrl
    ? await openPostgres(options.databaseUrl, options.schema, options.poolSize ?? 10, options.schemaVia ?? 'startup')
    : await openPglite(options.home ?? '.ejsync');
  // Kysely looks its bookkeeping tables up across every schema: name ours explicitly, or a test
  // migrating another schema at the same moment would make it skip creating them here.
  const migrationDb = options.databaseUrl ? withSchemaScopedIntrospection(opened.db, options.schema ?? 'public') : opened.db;
  const migrator = new Migrator({ db: migrationDb, provider: new InCodeMigrations(), ...(options.databaseUrl ? { migrationTableSchema: options.schema ?? 'public' } : {}) });
  const { error, results } = await migrator.migrateToLatest().finally(() => opened.unlock?.());
  if (error) {
    await opened.close();
    const failed = results?.find((r) => r.status === 'Error')?.migrationName;
    throw new Error(`Не удалось обновить схему базы данных${failed ? ` (миграция ${failed})` : ''}: ${(error as Error).message}`, { cause: error });
  }
  return opened;
}

/** Drops a test schema (PostgreSQL only). */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query(`drop schema if exists "${schema}" cascade`);
  } finally {
    await client.end();
  }
}

export { sql };
