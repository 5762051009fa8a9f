import { sql, type Kysely } from 'kysely';

/**
 * Identity linking: the person directory (staff and guardians of each school as keyed hashes,
 * never names or СНИЛС) and the state of each link of an ЕСИА account to a school record
 * (linked, pending an operator, rejected), who decided and when.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table person_directory (
      school_id text not null, kind text not null check (kind in ('staff', 'guardian')), source_id text not null,
      esia_oid text, snils_hash text, name_birth_hash text, children jsonb not null default '[]',
      refreshed_at timestamptz not null default now(), primary key (school_id, kind, source_id))`,
    sql`create index person_directory_by_oid on person_directory (esia_oid) where esia_oid is not null`,
    sql`create index person_directory_by_snils on person_directory (snils_hash) where snils_hash is not null`,
    sql`create index person_directory_by_name_birth on person_directory (name_birth_hash) where name_birth_hash is not null`,
    sql`alter table people_links add column status text not null default 'linked' check (status in ('linked', 'pending', 'rejected'))`,
    sql`alter table people_links add column reason text`,
    sql`alter table people_links add column decided_by text`,
    sql`alter table people_links add column updated_at timestamptz not null default now()`,
    sql`create index people_links_by_status on people_links (status, school_id)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
