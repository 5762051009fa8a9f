import { sql, type Kysely } from 'kysely';

/**
 * An applied change keeps the record as it was delivered, its references in the platform's ids:
 * a rollback removes a created record and reads it back by the ids the platform knows it by,
 * not by the МИС ids of the staged plan.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table run_changes add column delivered jsonb`.execute(db);
}
