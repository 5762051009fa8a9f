import { sql, type Kysely } from 'kysely';

/**
 * Reporting periods closed in ejsync by a person (the school's order), besides the export's flag:
 * while a row exists, marks and absences dated in the period are never sent. Reopening deletes
 * the row; both are in the audit with who, when and why.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table period_locks (
      link_id text not null,
      period_id text not null,
      reason text not null,
      closed_by_oid text not null,
      closed_by_name text not null,
      closed_at timestamptz not null default now(),
      primary key (link_id, period_id)
    )`.execute(db);
}
