import { sql, type Kysely } from 'kysely';

/** The first schema: links, runs and their staged plans, the delivery log, id map, audit, secrets, web. */
export async function up(db: Kysely<unknown>): Promise<void> {
  const statements = [
    sql`create table links (
      id text primary key, name text not null, school_id text not null, platform text not null,
      config jsonb not null, paused boolean not null default false,
      created_at timestamptz not null default now(), updated_at timestamptz not null default now())`,
    sql`create table runs (
      id text primary key, link_id text not null, school_id text not null, kind text not null default 'sync',
      status text not null, trigger text not null, triggered_by text, environment text not null,
      target_url text, counts jsonb not null default '{}', summary jsonb not null default '{}',
      held_reasons jsonb not null default '[]', parent_run_id text, error_code text,
      writes integer not null default 0,
      created_at timestamptz not null default now(), started_at timestamptz, finished_at timestamptz,
      updated_at timestamptz not null default now())`,
    sql`create index runs_by_link on runs (link_id, created_at desc)`,
    sql`create index runs_by_status on runs (status)`,
    sql`create table run_changes (
      run_id text not null, change_id text not null, seq integer not null, phase integer not null,
      entity text not null, op text not null, source_id text not null, target_id text,
      before jsonb, after jsonb, changed_fields jsonb, status text not null default 'pending',
      attempts integer not null default 0, last_error_code text, applied_at timestamptz,
      primary key (run_id, change_id))`,
    sql`create index run_changes_by_status on run_changes (run_id, status, phase)`,
    sql`create table deliveries (
      id bigserial primary key, run_id text not null, link_id text not null, change_id text not null,
      entity text not null, operation text not null, source_id text not null, target_id text,
      attempt integer not null, outcome text not null, method text, path text, status integer,
      error_code text, retryable boolean, duration_ms integer, before_hash text, after_hash text,
      created_at timestamptz not null default now(), finished_at timestamptz)`,
    sql`create index deliveries_by_run on deliveries (run_id, change_id, attempt)`,
    sql`create index deliveries_by_code on deliveries (error_code, created_at)`,
    sql`create table id_map (
      link_id text not null, entity text not null, source_id text not null, target_id text not null,
      matched_by text not null, created_at timestamptz not null default now(), updated_at timestamptz not null default now(),
      primary key (link_id, entity, source_id))`,
    sql`create unique index id_map_by_target on id_map (link_id, entity, target_id)`,
    sql`create table cursors (
      link_id text not null, name text not null, value text not null, run_id text,
      updated_at timestamptz not null default now(), primary key (link_id, name))`,
    sql`create table findings (
      id bigserial primary key, run_id text not null, code text not null, severity text not null,
      entity text, source_id text, file text, row_number integer, field text, message text not null, hint text not null,
      created_at timestamptz not null default now())`,
    sql`create index findings_by_run on findings (run_id)`,
    sql`create index findings_by_code on findings (code, created_at)`,
    sql`create table manual_actions (
      run_id text not null, action_id text not null, entity text not null, op text not null, source_id text not null,
      title text not null, fields jsonb not null, reason text not null, status text not null default 'open',
      primary key (run_id, action_id))`,
    sql`create table audit (
      id bigserial primary key, at timestamptz not null default now(), actor_oid text not null, actor_name text not null,
      action text not null, object_type text not null, object_id text, school_id text, details jsonb not null default '{}')`,
    sql`create index audit_by_time on audit (at desc)`,
    sql`create table secrets (
      name text primary key, ciphertext text not null, iv text not null, tag text not null, key_id text not null,
      updated_at timestamptz not null default now())`,
    sql`create table alerts (
      id text primary key, kind text not null, link_id text, run_id text, channel text not null, status text not null,
      attempts integer not null default 0, last_error text, payload jsonb not null,
      created_at timestamptz not null default now(), sent_at timestamptz)`,
    sql`create table role_assignments (
      oid text not null, role text not null, school_id text not null default '',
      assigned_by text not null, created_at timestamptz not null default now(), primary key (oid, role, school_id))`,
    sql`create table people_links (
      oid text not null, kind text not null, school_id text not null, source_id text not null, matched_by text not null,
      created_at timestamptz not null default now(), primary key (oid, kind, school_id, source_id))`,
    sql`create table sessions (
      id_hash text primary key, csrf_token text not null, principal jsonb, pending_state text, return_to text,
      created_at timestamptz not null, expires_at timestamptz not null)`,
  ];
  for (const statement of statements) await statement.execute(db);
}
