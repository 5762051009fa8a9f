import { sql, type Kysely, type RawBuilder } from 'kysely';

/** One column as the catalogue knows it: the type is what a text value is cast back to. */
export interface TableColumn {
  name: string;
  /** `format_type(…)`, e.g. `timestamp with time zone`, `jsonb`, `text[]`. */
  type: string;
  /** GENERATED ALWAYS AS IDENTITY: inserts need OVERRIDING SYSTEM VALUE. */
  identityAlways: boolean;
  /** Filled from a sequence (bigserial): the sequence is moved past restored values. */
  serial: boolean;
}

export interface StoreTable {
  name: string;
  columns: TableColumn[];
  /** Primary-key columns: rows are dumped in this order, so two dumps of one store are equal. */
  primaryKey: string[];
}

/** Kysely's own bookkeeping: recreated by the migrations, never copied. */
const BOOKKEEPING = new Set(['kysely_migration', 'kysely_migration_lock']);

/**
 * The base tables of the store's schema (the connection's `current_schema()`), parents before
 * children by their foreign keys, with columns in table order (generated columns left out).
 */
export async function storeTables<DB>(db: Kysely<DB>): Promise<StoreTable[]> {
  const tables = await sql<{ name: string }>`
    select c.relname as name from pg_class c
    where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r'
    order by c.relname`.execute(db);
  const columns = await sql<{ table: string; name: string; type: string; identity: string; serial: boolean }>`
    select c.relname as table, a.attname as name, format_type(a.atttypid, a.atttypmod) as type, a.attidentity as identity,
           coalesce(pg_get_expr(d.adbin, d.adrelid) like 'nextval(%', false) as serial
    from pg_attribute a
    join pg_class c on c.oid = a.attrelid
    left join pg_attrdef d on d.adrelid = a.attrelid and d.adnum = a.attnum
    where c.relnamespace = current_schema()::regnamespace and c.relkind = 'r' and a.attnum > 0 and not a.attisdropped and a.attgenerated = ''
    order by c.relname, a.attnum`.execute(db);
  const keys = await sql<{ table: string; name: string }>`
    select c.relname as table, a.attname as name
    from pg_index i
    join pg_class c on c.oid = i.indrelid
    join lateral unnest(i.indkey) with ordinality as k(attnum, n) on true
    join pg_attribute a on a.attrelid = c.oid and a.attnum = k.attnum
    where c.relnamespace = current_schema()::regnamespace and i.indisprimary
    order by c.relname, k.n`.execute(db);
  const fks = await sql<{ child: string; parent: string }>`
    select c.relname as child, p.relname as parent from pg_constraint k
    join pg_class c on c.oid = k.conrelid
    join pg_class p on p.oid = k.confrelid
    where k.contype = 'f' and k.connamespace = current_schema()::regnamespace`.execute(db);

  const byName = new Map<string, StoreTable>();
  for (const t of tables.rows) if (!BOOKKEEPING.has(t.name)) byName.set(t.name, { name: t.name, columns: [], primaryKey: [] });
  for (const c of columns.rows) byName.get(c.table)?.columns.push({ name: c.name, type: c.type, identityAlways: c.identity === 'a', serial: c.serial });
  for (const k of keys.rows) byName.get(k.table)?.primaryKey.push(k.name);

  // Parents first (a table referring to itself does not wait for itself).
  const parents = new Map<string, Set<string>>([...byName.keys()].map((n) => [n, new Set<string>()]));
  for (const fk of fks.rows) if (fk.child !== fk.parent && parents.has(fk.child) && byName.has(fk.parent)) parents.get(fk.child)!.add(fk.parent);
  const ordered: StoreTable[] = [];
  const placed = new Set<string>();
  while (ordered.length < byName.size) {
    const ready = [...byName.keys()].filter((n) => !placed.has(n) && [...parents.get(n)!].every((p) => placed.has(p)));
    // A cycle of foreign keys cannot be ordered: take the rest alphabetically (restore then defers nothing, and fails loudly).
    const next = ready.length ? ready : [...byName.keys()].filter((n) => !placed.has(n));
    for (const n of next.sort()) {
      placed.add(n);
      ordered.push(byName.get(n)!);
    }
  }
  return ordered;
}

/** `"name"`, quoted for SQL. */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/**
 * Every column of a table as its exact text (`::text` keeps microseconds, jsonb and bytea as they
 * are), in primary-key order: the same store always dumps to the same rows.
 */
export function textRowsQuery(table: StoreTable): RawBuilder<unknown> {
  const select = table.columns.map((c) => `${quoteIdent(c.name)}::text`).join(', ');
  const order = (table.primaryKey.length ? table.primaryKey : table.columns.map((c) => c.name)).map(quoteIdent).join(', ');
  return sql`select ${sql.raw(select)} from ${sql.raw(quoteIdent(table.name))} order by ${sql.raw(order)}`;
}

/** A row of `textRowsQuery` as values in column order. */
export function textRow(table: StoreTable, row: Record<string, string | null>): (string | null)[] {
  return table.columns.map((c) => row[c.name] ?? null);
}
