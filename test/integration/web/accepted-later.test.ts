import { seedLink, startDashboardStand } from '../../helpers/dashboard-stand';

/**
 * Issue 16 (3) on the dashboard: what СЭДиЖ / ЭПОС accepted after its daily cut-off is listed on
 * the run page as «принято, вступит в силу с DD.MM.YYYY HH:MM» (the school's time), per kind of
 * record; what is in effect already is not. Real PostgreSQL, real Redis.
 */
describe('dashboard run page: changes accepted but not yet in effect', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;
  const day = (offsetDays: number) => new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
  const ru = (iso: string) => iso.split('-').reverse().join('.');
  const tomorrow = day(2);
  const past = day(-3);

  beforeAll(async () => {
    stand = await startDashboardStand();
    const { store } = stand;
    await seedLink(store, 'link-1', 'school-1');
    await store.runs.create({ id: 'run-later', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    const deliver = async (changeId: string, entity: string, effectiveFrom: string | null) => {
      const { id } = await stand.store.deliveries.start({ runId: 'run-later', linkId: 'link-1', changeId, entity, operation: 'create', sourceId: changeId });
      await stand.store.deliveries.finish(id, { outcome: 'succeeded', targetId: `t-${changeId}`, status: 200, durationMs: 5, detail: effectiveFrom ? `принято, вступает в силу с ${effectiveFrom}` : null });
    };
    await deliver('m1', 'marks', tomorrow);
    await deliver('m2', 'marks', tomorrow);
    await deliver('w1', 'works', tomorrow);
    await deliver('a1', 'attendance', past);
    await deliver('p1', 'pupils', null);
    await store.runs.transition('run-later', 'applying');
    await store.runs.transition('run-later', 'succeeded');
  });
  afterAll(async () => stand?.close());

  it('lists them per kind of record with the day and time they take effect', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const page = await stand.app.inject({ method: 'GET', url: '/runs/run-later', headers: admin.headers });
    expect(page.statusCode).toBe(200);
    const section = page.body.slice(page.body.indexOf('id="accepted-later"'));
    expect(section).toContain('Принято платформой, ещё не в силе');
    expect(section).toMatch(new RegExp(`Отметки: 2 записи — принято, вступит в силу с ${ru(tomorrow).replace(/\./g, '\\.')} 00:00`));
    expect(section).toMatch(/Работы и домашние задания: 1 запись — принято, вступит в силу с /);
    // Already in effect: not listed.
    expect(page.body).not.toContain(`вступит в силу с ${ru(past)}`);

    const api = await stand.app.inject({ method: 'GET', url: '/api/runs/run-later', headers: admin.headers });
    expect(api.statusCode).toBe(200);
  });

  it('shows no such section for a run with nothing accepted for later', async () => {
    await stand.store.runs.create({ id: 'run-now', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const page = await stand.app.inject({ method: 'GET', url: '/runs/run-now', headers: admin.headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).not.toContain('accepted-later');
  });
});
