import { randomUUID } from 'node:crypto';
import { Kysely, PostgresDialect, sql } from 'kysely';
import pg from 'pg';
import * as m0001 from '../../../src/store/migrations/0001-initial';
import * as m0002 from '../../../src/store/migrations/0002-identity-directory';
import * as m0003 from '../../../src/store/migrations/0003-delivery-detail';
import * as m0004 from '../../../src/store/migrations/0004-delivered-payload';
import * as m0006 from '../../../src/store/migrations/0006-period-locks';
import * as m0007 from '../../../src/store/migrations/0007-one-run-per-link';
import * as m0009 from '../../../src/store/migrations/0009-personal-data-at-rest';
import { dropSchema, PersonalDataBox } from '../../../src/store';
import type { Database } from '../../../src/store/schema';
import { ManualActionsRepository } from '../../../src/store/repositories/manual-actions-repository';
import { DATABASE_URL, TEST_SECRET_BOX } from '../../helpers/database';

describe('migration 0009 converts the manual actions of a store made before it (real PostgreSQL)', () => {
  const schema = `m_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  let db: Kysely<Database>;

  beforeAll(async () => {
    const admin = new pg.Client({ connectionString: DATABASE_URL });
    await admin.connect();
    await admin.query(`create schema "${schema}"`);
    await admin.end();
    db = new Kysely<Database>({ dialect: new PostgresDialect({ pool: new pg.Pool({ connectionString: DATABASE_URL, max: 2, options: `-c search_path="${schema}"` }) }) });
    for (const m of [m0001, m0002, m0003, m0004, m0006, m0007]) await m.up(db as Kysely<unknown>);
    for (const [id, at] of [['run-1', '2026-11-01T02:00:00Z'], ['run-2', '2026-11-02T02:00:00Z']]) {
      await sql`insert into runs (id, link_id, school_id, status, trigger, environment, counts, summary, held_reasons, created_at) values (${id}, 'link-1', 'school-1', 'succeeded', 'schedule', 'emulator', '{}', '{}', '[]', ${at})`.execute(db);
      const fields = [
        { label: 'Фамилия', value: 'Смирнова' },
        { label: 'Имя', value: 'Алиса' },
        { label: 'Дата рождения', value: '12.03.2015' },
        { label: 'СНИЛС', value: '112-233-445 95' },
        { label: 'Класс', value: '5А' },
      ];
      await sql`insert into manual_actions (run_id, action_id, entity, op, source_id, title, fields, reason, status)
        values (${id}, 'manual.pupils.create.p9', 'pupils', 'create', 'p9', 'Создать ученика в классе 5А', ${JSON.stringify(fields)}::jsonb, 'API', ${id === 'run-2' ? 'done' : 'open'})`.execute(db);
    }
    await m0009.up(db as Kysely<unknown>);
  });

  afterAll(async () => {
    await db?.destroy();
    await dropSchema(DATABASE_URL, schema);
  });

  it('one worklist item across both runs, its latest state kept, no personal value left anywhere; a new plan fills it in sealed', async () => {
    const worklist = await db.selectFrom('manual_worklist').selectAll().execute();
    expect(worklist).toHaveLength(1);
    expect(worklist[0]).toMatchObject({ link_id: 'link-1', action_id: 'manual.pupils.create.p9', status: 'done', first_run_id: 'run-1', last_run_id: 'run-2', fields: [{ label: 'Класс', value: '5А' }] });
    const perRun = await db.selectFrom('manual_actions').select(['run_id', 'fields']).execute();
    expect(perRun.map((r) => r.fields)).toEqual([[], []]);
    const dump = JSON.stringify(await sql`select * from manual_actions`.execute(db)) + JSON.stringify(worklist);
    for (const needle of ['Смирнова', 'Алиса', '12.03.2015', '112-233-445 95']) expect(dump).not.toContain(needle);

    const repo = new ManualActionsRepository(db, new PersonalDataBox(() => TEST_SECRET_BOX));
    const [converted] = await repo.forRun('run-2');
    expect(converted).toMatchObject({ status: 'done', redacted: true, fields: [{ label: 'Класс', value: '5А' }] });

    // The next run lists the action again: its data comes back, sealed; "done" carries over.
    await sql`insert into runs (id, link_id, school_id, status, trigger, environment, counts, summary, held_reasons) values ('run-3', 'link-1', 'school-1', 'planned', 'schedule', 'emulator', '{}', '{}', '[]')`.execute(db);
    await repo.add('run-3', [{ actionId: 'manual.pupils.create.p9', entity: 'pupils', op: 'create', sourceId: 'p9', title: 'Создать ученика в классе 5А', fields: [{ label: 'Фамилия', value: 'Смирнова' }], reason: 'API', pupilId: 'p9' }]);
    const [again] = await repo.forRun('run-3');
    expect(again).toMatchObject({ status: 'done', fields: [{ label: 'Фамилия', value: 'Смирнова' }], pupilId: 'p9' });
    expect(again.redacted).toBeUndefined();
    expect(JSON.stringify(await db.selectFrom('manual_worklist').selectAll().execute())).not.toContain('Смирнова');
  });
});
