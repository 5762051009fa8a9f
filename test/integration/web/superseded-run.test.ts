import { seedLink, seedPartialRun, startDashboardStand } from '../../helpers/dashboard-stand';

/**
 * Issue 18 (11) on the dashboard: a held run a newer plan superseded shows as «заменён более
 * новым», offers no approval, and approving it anyway (API or form) is refused with
 * `run.superseded`, naming the newer run. A run rolled back once refuses a second rollback with
 * `rollback.already_rolled_back`. Real PostgreSQL, real Redis.
 */
describe('dashboard: superseded held runs and a second rollback are refused', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;

  beforeAll(async () => {
    stand = await startDashboardStand();
    const { store } = stand;
    await seedLink(store, 'link-1', 'school-1');
    await store.runs.create({ id: 'run-old', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    await store.runs.transition('run-old', 'held', { heldReasons: [{ code: 'guard.threshold_archive' }] });
    await store.runs.create({ id: 'run-new', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    expect((await store.runs.supersedeHeld({ id: 'run-new', linkId: 'link-1' })).map((r) => r.id)).toEqual(['run-old']);
  });
  afterAll(async () => stand?.close());

  it('shows the status in Russian and no approval; API and form approval are refused with the code', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const page = await stand.app.inject({ method: 'GET', url: '/runs/run-old', headers: admin.headers });
    expect(page.statusCode).toBe(200);
    expect(page.body).toContain('заменён более новым');
    expect(page.body).not.toContain('/confirm/approve');
    const status = await stand.app.inject({ method: 'GET', url: '/api/runs/run-old/status', headers: admin.headers });
    expect(status.json()).toMatchObject({ status: 'superseded', statusLabel: 'заменён более новым', settled: true });

    const api = await stand.app.inject({ method: 'POST', url: '/api/runs/run-old/approve', headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, payload: { reason: 'одобряю' } });
    expect(api.statusCode).toBe(409);
    expect(api.json()).toMatchObject({ error: 'run.superseded', message: 'Запуск заменён более новым: одобрить его нельзя: новый план — запуск run-new' });
    expect(api.json().hint).toMatch(/Откройте новый запуск/);

    const confirm = await stand.app.inject({ method: 'GET', url: '/runs/run-old/confirm/approve', headers: admin.headers });
    expect(confirm.statusCode).toBe(409);
    expect(confirm.body).toContain('новый план — запуск run-new');
    const form = await stand.app.inject({
      method: 'POST',
      url: '/runs/run-old/actions/approve',
      headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' },
      payload: `_csrf=${admin.csrf}&confirm=yes`,
    });
    expect(form.statusCode).toBe(409);
    expect(form.body).toContain('Запуск заменён более новым');
    expect((await stand.store.runs.require('run-old')).status).toBe('superseded');
    expect((await stand.store.audit.list()).map((a) => a.action)).not.toContain('run.approved');
  });

  it('a run already rolled back refuses a second rollback (API), in Russian with the code', async () => {
    const { store } = stand;
    await seedPartialRun(store, { id: 'run-done', linkId: 'link-1', schoolId: 'school-1', failed: 1, applied: 2, code: 'dnevnik.parameter_invalid' });
    await store.runs.createRollback({ id: 'run-undo', linkId: 'link-1', schoolId: 'school-1', trigger: 'person', environment: 'emulator', parentRunId: 'run-done' });
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const api = await stand.app.inject({ method: 'POST', url: '/api/runs/run-done/rollback', headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, payload: {} });
    expect(api.json()).toMatchObject({ error: 'rollback.already_rolled_back', message: expect.stringContaining('откатывался запуском run-undo') });
    expect(api.statusCode).toBeGreaterThanOrEqual(400);
    expect(await store.runs.rollbackOf('run-done')).toMatchObject({ id: 'run-undo' });
  });
});
