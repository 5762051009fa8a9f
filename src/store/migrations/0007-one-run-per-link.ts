import { sql, type Kysely } from 'kysely';

/**
 * One run per link at a time, enforced by the database: a run holds its link (`holds_link`) from
 * the moment it starts planning until it is held or ends, and a partial unique index lets one
 * run of a link hold it. Two workers claiming the same link at once cannot both win: the second
 * UPDATE fails on the index (or waits for the first transaction, then fails).
 *
 * `idle_since` and `recoveries` are the watchdog's: when it first saw the run with no live job in
 * the queues, and how many times it re-queued the run's work.
 *
 * Named 0007, not 0005: migration names must sort after every migration already applied
 * (0006-period-locks), or existing stores would refuse to migrate.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table runs add column holds_link boolean not null default false`.execute(db);
  await sql`alter table runs add column idle_since timestamptz`.execute(db);
  await sql`alter table runs add column recoveries integer not null default 0`.execute(db);
  // A store from before this rule may have two applying runs of a link: the oldest holds it.
  await sql`
    update runs set holds_link = true
    where id in (select distinct on (link_id) id from runs where status = 'applying' order by link_id, created_at, id)`.execute(db);
  await sql`
    create unique index runs_one_holder_per_link on runs (link_id)
    where holds_link and status in ('planned', 'approved', 'applying')`.execute(db);
  await sql`create index runs_unsettled on runs (status) where status in ('planned', 'approved', 'applying')`.execute(db);
}
