import { sql, type Kysely } from 'kysely';

/**
 * When a run's copies of personal data (records before and after, manual actions' fields) were
 * purged under the retention policy: such a run keeps its ids, counts and delivery log only.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table runs add column personal_data_purged_at timestamptz`.execute(db);
}
