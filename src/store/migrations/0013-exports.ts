import { sql, type Kysely } from 'kysely';

/**
 * Schools' exports kept in the store, so a worker on any host plans from them (no shared folder):
 * one row per link and content (SHA-256 of the bytes: the same export uploaded twice is one row,
 * received again). A folder is kept as a ZIP of its files; a ZIP or JSON file as it came.
 * `export_upload_tokens` holds each link's upload key as a SHA-256 hash (the key itself is shown
 * once, when issued).
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table exports (
      link_id text not null references links (id) on delete cascade,
      sha256 text not null,
      file_name text not null,
      format text not null,
      size bigint not null,
      content bytea not null,
      received_at timestamptz not null default now(),
      primary key (link_id, sha256)
    )`.execute(db);
  await sql`create index exports_newest on exports (link_id, received_at desc)`.execute(db);
  await sql`
    create table export_upload_tokens (
      link_id text primary key references links (id) on delete cascade,
      token_hash text not null,
      created_at timestamptz not null default now()
    )`.execute(db);
}
