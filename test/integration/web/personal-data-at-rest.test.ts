import type { Kysely } from 'kysely';
import { storeTables, textRowsQuery } from '../../../src/store/backup/store-tables';
import { startSchoolWorld } from '../../helpers/school-world';

jest.setTimeout(240_000);

/** Every text value of every table of the store, with where it is. */
async function everyValue(db: Kysely<any>): Promise<{ table: string; value: string }[]> {
  const out: { table: string; value: string }[] = [];
  for (const table of await storeTables(db)) {
    const rows = await textRowsQuery(table).execute(db);
    for (const row of rows.rows as Record<string, string | null>[]) for (const v of Object.values(row)) if (v) out.push({ table: table.name, value: v });
  }
  return out;
}

describe('personal data at rest: after a sync, no table of the store holds a pupil’s СНИЛС or name in clear (real PostgreSQL, Redis, Дневник.ру emulator)', () => {
  let world: Awaited<ReturnType<typeof startSchoolWorld>>;

  beforeAll(async () => {
    world = await startSchoolWorld();
  });

  afterAll(async () => world?.close());

  it('the plan asked a person to create the missing pupil — and every table is clean of their СНИЛС, name and birth date', async () => {
    const run = await world.sync();
    expect(['succeeded', 'partial']).toContain(run.status);
    const { missing, store } = world;
    const snils = missing.snils!.replace(/\D/g, '');
    expect(snils).toHaveLength(11);

    // The person who may read it sees the data (opened with the installation key)…
    const actions = await store.manualActions.forRun(run.id);
    const create = actions.find((a) => a.entity === 'pupils' && a.sourceId === missing.sourceId);
    expect(create).toBeDefined();
    const text = create!.fields.map((f) => `${f.label}: ${f.value}`).join('\n');
    expect(text).toContain(missing.lastName);
    expect(text.replace(/\D/g, '')).toContain(snils);
    expect(actions.some((a) => a.entity === 'memberships' && a.pupilId === missing.sourceId)).toBe(true);
    const roster = await store.rosters.get<{ pupils: Record<string, { name: string }> }>(world.link.id);
    expect(roster!.roster.pupils[missing.sourceId].name).toContain(missing.lastName);

    // A person marks it done (audited)…
    expect(await store.manualActions.setStatus(run.id, [create!.actionId], 'done', { actorOid: '1000100002', actorName: 'Админов Сергей Петрович' })).toBe(1);

    // …and the store itself holds none of it in clear.
    const values = await everyValue(store.db);
    expect(values.length).toBeGreaterThan(1000);
    const tables = new Set(values.map((v) => v.table));
    for (const t of ['manual_actions', 'manual_worklist', 'school_rosters', 'run_changes', 'deliveries', 'findings', 'audit', 'runs']) expect(tables).toContain(t);
    const formatted = `${snils.slice(0, 3)}-${snils.slice(3, 6)}-${snils.slice(6, 9)} ${snils.slice(9)}`;
    const needles = [snils, formatted, `${missing.lastName} ${missing.firstName}`, missing.lastName];
    const leaks = values.filter((v) => needles.some((n) => v.value.includes(n))).map((v) => `${v.table}: ${v.value.slice(0, 120)}`);
    expect(leaks).toEqual([]);
    // No pupil's СНИЛС at all, in any form.
    const allSnils = world.source.pupils.flatMap((p) => (p.snils ? [p.snils.replace(/\D/g, '')] : []));
    expect(values.filter((v) => allSnils.some((s) => v.value.replace(/[- ]/g, '').includes(s))).map((v) => v.table)).toEqual([]);
  });
});
