import { sql, type Kysely } from 'kysely';

/**
 * The delivery log keeps what the platform said when an attempt failed (its description, the
 * request line): the dashboard shows it long after the queue has forgotten the job.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table deliveries add column detail text`.execute(db);
}
