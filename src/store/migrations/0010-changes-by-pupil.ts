import { sql, type Kysely } from 'kysely';

/** The per-pupil view finds a pupil's changes across a link's runs by the МИС id in each change's context. */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`create index run_changes_by_pupil on run_changes ((context->>'pupilId')) where context is not null`.execute(db);
}
