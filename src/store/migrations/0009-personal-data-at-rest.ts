import { sql, type Kysely } from 'kysely';

/** Labels of manual action fields whose values name or identify a person. */
const PERSONAL_LABEL = /^(Фамилия|Имя|Отчество|ФИО|Дата рождения|СНИЛС|Идентификатор ЕСИА|Электронная почта|Телефон|Ученик|Обучающийся|Сотрудник|Учитель|Замещающий учитель|Классный руководитель|Законный представитель|Запись на платформе)/i;

interface OldAction {
  run_id: string;
  action_id: string;
  entity: string;
  op: string;
  source_id: string;
  title: string;
  fields: unknown;
  reason: string;
  status: string;
  link_id: string;
  school_id: string;
  created_at: Date | string;
}

/**
 * Personal data at rest (issue 17, point 5):
 *
 * - `manual_worklist`: one record per link and manual action across runs ("done" carries over, a
 *   run that no longer needs it checks it off), its fields sealed with the installation key by
 *   the store (`PersonalDataBox`). Runs keep only which actions they listed (`manual_actions`
 *   without fields).
 * - `school_rosters`: per link, the names of the school's pupils, staff and guardians with their
 *   classes (sealed, refreshed at every plan): what the dashboard resolves ids to, for those
 *   allowed to read names.
 * - `run_changes.context`: what a change concerns in school terms (class, subject, date, work,
 *   each field's Russian label with before → after), people only by id.
 *
 * Existing manual actions move into the worklist with their latest state; a migration has no
 * key to seal with, so their personal values (names, birth dates, СНИЛС, contacts, descriptions
 * naming a person) are dropped — the next run of the link lists the action again with its data
 * sealed. Every run's copy of the fields is emptied.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`
    create table manual_worklist (
      link_id text not null,
      action_id text not null,
      school_id text not null,
      entity text not null,
      op text not null,
      source_id text not null,
      target_id text,
      pupil_id text,
      title text not null,
      reason text not null,
      fields jsonb not null default '[]',
      status text not null default 'open',
      first_run_id text not null,
      last_run_id text not null,
      first_seen_at timestamptz not null default now(),
      last_seen_at timestamptz not null default now(),
      done_by_oid text,
      done_by_name text,
      done_at timestamptz,
      resolved_at timestamptz,
      resolved_run_id text,
      primary key (link_id, action_id)
    )`.execute(db);
  await sql`create index manual_worklist_by_status on manual_worklist (link_id, status, first_seen_at)`.execute(db);
  await sql`create index manual_worklist_by_pupil on manual_worklist (link_id, pupil_id) where pupil_id is not null`.execute(db);
  await sql`
    create table school_rosters (
      link_id text primary key,
      school_id text not null,
      school_name text,
      roster jsonb not null,
      run_id text,
      refreshed_at timestamptz not null default now()
    )`.execute(db);
  await sql`alter table run_changes add column context jsonb`.execute(db);

  const old = await sql<OldAction>`
    select m.run_id, m.action_id, m.entity, m.op, m.source_id, m.title, m.fields, m.reason, m.status, r.link_id, r.school_id, r.created_at
    from manual_actions m join runs r on r.id = m.run_id
    order by r.created_at, m.run_id`.execute(db);
  const latest = new Map<string, { first: OldAction; last: OldAction }>();
  for (const row of old.rows) {
    const key = `${row.link_id}\u0000${row.action_id}`;
    const seen = latest.get(key);
    latest.set(key, { first: seen?.first ?? row, last: row });
  }
  for (const { first, last } of latest.values()) {
    const fields = (Array.isArray(last.fields) ? (last.fields as { label?: unknown }[]) : []).filter((f) => typeof f?.label === 'string' && !PERSONAL_LABEL.test(f.label));
    await sql`
      insert into manual_worklist (link_id, action_id, school_id, entity, op, source_id, title, reason, fields, status, first_run_id, last_run_id, first_seen_at, last_seen_at)
      values (${last.link_id}, ${last.action_id}, ${last.school_id}, ${last.entity}, ${last.op}, ${last.source_id}, ${last.title}, ${last.reason},
              ${JSON.stringify(fields)}::jsonb, ${last.status === 'done' ? 'done' : 'open'}, ${first.run_id}, ${last.run_id}, ${first.created_at}, ${last.created_at})`.execute(db);
  }
  await sql`update manual_actions set fields = '[]'::jsonb where fields <> '[]'::jsonb`.execute(db);
}
