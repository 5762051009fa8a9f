import { seedLink, seedPartialRun, startDashboardStand } from '../../helpers/dashboard-stand';

describe('dashboard: every page and API call checks session, role and school (real PostgreSQL, real Redis)', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;

  beforeAll(async () => {
    stand = await startDashboardStand();
    const { store } = stand;
    for (const [id, school] of [
      ['link-1', 'school-1'],
      ['link-2', 'school-2'],
    ]) {
      await seedLink(store, id, school);
      await store.runs.create({ id: `run-${school}`, linkId: id, schoolId: school, trigger: 'schedule', environment: 'emulator' });
      await store.runs.transition(`run-${school}`, 'held', { heldReasons: [{ code: 'guard.threshold_archive', message: 'Запуск задержан: слишком много записей к архивации', hint: 'Проверьте выгрузку' }] });
    }
    await seedPartialRun(store, { id: 'run-partial-2', linkId: 'link-2', schoolId: 'school-2', failed: 3, applied: 2, code: 'dnevnik.parameter_invalid' });
  });

  afterAll(async () => stand.close());

  const get = (url: string, headers: Record<string, string>) => stand.app.inject({ method: 'GET', url, headers });

  it('without a session: pages redirect to ЕСИА, the API answers 401 (assets stay public)', async () => {
    expect((await stand.app.inject({ url: '/runs/run-school-1' })).statusCode).toBe(302);
    const api = await stand.app.inject({ url: '/api/runs/run-school-1' });
    expect(api.statusCode).toBe(401);
    expect(api.json().message).toMatch(/ЕСИА/);
    expect((await stand.app.inject({ url: '/assets/dashboard.css' })).statusCode).toBe(200);
    expect((await stand.app.inject({ url: '/queues/' })).statusCode).toBe(302);
  });

  it('a school administrator sees only their school: lists, run, status, changes, exports, failures, audit', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const runs = await get('/api/runs', admin.headers);
    expect(runs.json().runs.map((r: { id: string }) => r.id)).toEqual(['run-school-1']);
    expect((await get('/api/links', admin.headers)).json().links.map((l: { id: string }) => l.id)).toEqual(['link-1']);
    expect((await get('/api/runs/run-school-1', admin.headers)).statusCode).toBe(200);
    for (const url of ['/api/runs/run-partial-2', '/api/runs/run-partial-2/status', '/api/runs/run-partial-2/changes', '/api/runs/run-partial-2/exports/report?format=csv', '/api/links/link-2']) {
      const r = await get(url, admin.headers);
      expect([url, r.statusCode]).toEqual([url, 404]);
      expect(r.body).not.toContain('school-2');
    }
    expect((await get('/api/failures', admin.headers)).json().failures).toEqual([]);
    const page = await get('/runs/run-partial-2', admin.headers);
    expect(page.statusCode).toBe(404);
    expect(page.body).toContain('Запуск не найден');
    expect(page.body).not.toContain('dnevnik.parameter_invalid');
    expect((await get('/failures', admin.headers)).body).not.toContain('dnevnik.parameter_invalid');
    const overview = await get('/', admin.headers);
    expect(overview.body).toContain('link-1');
    expect(overview.body).not.toContain('link-2');
    expect((await get('/queues/', admin.headers)).statusCode).toBe(403);
  });

  it('cannot act on another school, even with a valid CSRF token (API and pages)', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const headers = { ...admin.headers, 'x-csrf-token': admin.csrf };
    for (const url of ['/api/runs/run-school-2/discard', '/api/runs/run-partial-2/retry', '/api/runs/run-partial-2/rollback', '/api/links/link-2/pause', '/api/links/link-2/run']) {
      expect([url, (await stand.app.inject({ method: 'POST', url, headers, payload: { reason: 'x' } })).statusCode]).toEqual([url, 404]);
    }
    const form = await stand.app.inject({ method: 'POST', url: '/runs/run-school-2/actions/discard', headers: { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: `_csrf=${admin.csrf}&confirm=yes&reason=x` });
    expect(form.statusCode).toBe(404);
    expect((await stand.store.runs.require('run-school-2')).status).toBe('held');
    expect((await stand.store.links.get('link-2'))!.paused).toBe(false);
  });

  it('a viewer may look but not act', async () => {
    const viewer = await stand.signedIn(['viewer'], ['school-1']);
    expect((await get('/api/runs/run-school-1', viewer.headers)).statusCode).toBe(200);
    const r = await stand.app.inject({ method: 'POST', url: '/api/runs/run-school-1/discard', headers: { ...viewer.headers, 'x-csrf-token': viewer.csrf }, payload: { reason: 'x' } });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toMatch(/Недостаточно прав/);
    expect((await get('/runs/run-school-1/confirm/approve', viewer.headers)).statusCode).toBe(403);
    expect((await get('/runs/run-school-1', viewer.headers)).body).not.toContain('/confirm/approve');
  });

  it('an action needs the CSRF token; a discard needs a reason and is audited with the ЕСИА identity', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1'], 'Админов Сергей Петрович');
    const url = '/api/runs/run-school-1/discard';
    const without = await stand.app.inject({ method: 'POST', url, headers: admin.headers, payload: { reason: 'неполная выгрузка' } });
    expect(without.statusCode).toBe(403);
    expect(without.json().error).toBe('csrf');
    const noReason = await stand.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, payload: {} });
    expect(noReason.statusCode).toBe(400);
    expect(noReason.json()).toMatchObject({ error: 'reason_required' });
    const ok = await stand.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, payload: { reason: 'неполная выгрузка' } });
    expect(ok.statusCode).toBe(200);
    expect(ok.json().run.status).toBe('discarded');
    const again = await stand.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, payload: { reason: 'ещё раз' } });
    expect(again.statusCode).toBe(409);
    const audit = (await get('/api/audit', admin.headers)).json().audit;
    expect(audit[0]).toMatchObject({ action: 'run.discarded', actorName: 'Админов Сергей Петрович', actorOid: admin.principal.oid, details: { reason: 'неполная выгрузка' } });
  });

  it('pages: the action goes through a confirmation page; posting without confirm=yes is refused', async () => {
    await stand.store.runs.create({ id: 'run-held-3', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    await stand.store.runs.transition('run-held-3', 'held', { heldReasons: [{ code: 'guard.threshold_update' }] });
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const detail = await get('/runs/run-held-3', admin.headers);
    expect(detail.body).toContain('Почему запуск задержан');
    expect(detail.body).toContain('guard.threshold_update');
    expect(detail.body).toContain('href="/runs/run-held-3/confirm/discard"');
    const confirm = await get('/runs/run-held-3/confirm/discard', admin.headers);
    expect(confirm.statusCode).toBe(200);
    expect(confirm.body).toContain('Отклонить задержанный запуск?');
    expect(confirm.body).toContain(`name="_csrf" value="${admin.csrf}"`);
    const form = { ...admin.headers, 'content-type': 'application/x-www-form-urlencoded' };
    const unconfirmed = await stand.app.inject({ method: 'POST', url: '/runs/run-held-3/actions/discard', headers: form, payload: `_csrf=${admin.csrf}&reason=x` });
    expect(unconfirmed.statusCode).toBe(400);
    const noCsrf = await stand.app.inject({ method: 'POST', url: '/runs/run-held-3/actions/discard', headers: form, payload: 'confirm=yes&reason=x' });
    expect(noCsrf.statusCode).toBe(403);
    const done = await stand.app.inject({ method: 'POST', url: '/runs/run-held-3/actions/discard', headers: form, payload: `_csrf=${admin.csrf}&confirm=yes&reason=${encodeURIComponent('дубли в выгрузке')}` });
    expect(done.statusCode).toBe(303);
    expect(done.headers.location).toBe('/runs/run-held-3');
    expect((await stand.store.runs.require('run-held-3')).status).toBe('discarded');
  });

  it('the operator sees every school, failures by code with first and last seen, and can pause and resume a link (audited)', async () => {
    const op = await stand.signedIn(['operator'], [], 'Операторова Мария Ивановна');
    expect((await get('/api/runs', op.headers)).json().runs.length).toBeGreaterThanOrEqual(3);
    const failures = (await get('/api/failures', op.headers)).json().failures;
    expect(failures).toEqual([expect.objectContaining({ code: 'dnevnik.parameter_invalid', attempts: 3, open: 3, runs: 1, links: 1, message: expect.stringContaining('Дневник.ру отклонил'), retryableRuns: 1 })]);
    expect(new Date(failures[0].firstSeen).getTime()).toBeLessThanOrEqual(new Date(failures[0].lastSeen).getTime());
    const detail = (await get('/api/runs/run-partial-2', op.headers)).json();
    expect(detail.failedTotal).toBe(3);
    expect(detail.failures[0]).toMatchObject({ code: 'dnevnik.parameter_invalid', hint: expect.any(String) });
    expect(detail.failures[0].changes[0]).toMatchObject({ attempts: 1, last: expect.objectContaining({ status: 400, errorCode: 'dnevnik.parameter_invalid' }), jobUrl: expect.stringMatching(/^\/queues\/queue\/deliver-dnevnik-emulator\/run-partial-2\.marks\.create\.m0\.g0$/) });
    expect(detail.actions).toEqual(['retry', 'rollback']);
    const headers = { ...op.headers, 'x-csrf-token': op.csrf };
    expect((await stand.app.inject({ method: 'POST', url: '/api/links/link-2/pause', headers })).json()).toMatchObject({ id: 'link-2', paused: true });
    expect((await stand.store.links.get('link-2'))!.paused).toBe(true);
    expect((await stand.app.inject({ method: 'POST', url: '/api/links/link-2/pause', headers })).statusCode).toBe(409);
    expect((await stand.app.inject({ method: 'POST', url: '/api/links/link-2/run', headers })).json().message).toMatch(/приостановлена/);
    expect((await stand.app.inject({ method: 'POST', url: '/api/links/link-2/resume', headers })).json()).toMatchObject({ paused: false });
    const audit = (await get('/api/audit?action=link.pause', op.headers)).json();
    expect(audit.audit).toEqual([expect.objectContaining({ action: 'link.pause', actorName: 'Операторова Мария Ивановна', objectId: 'link-2', schoolId: 'school-2' })]);
  });

  it('run now starts a run of the link (queued for the workers) and refuses a second one beside it', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const headers = { ...admin.headers, 'x-csrf-token': admin.csrf };
    const first = await stand.app.inject({ method: 'POST', url: '/api/links/link-1/run', headers });
    expect(first.statusCode).toBe(200);
    const runId = first.json().run.id;
    expect((await stand.store.runs.require(runId)).status).toBe('planned');
    const status = (await get(`/api/runs/${runId}/status`, admin.headers)).json();
    expect(status).toMatchObject({ status: 'planned', settled: false, progress: { text: expect.stringContaining('план') } });
    const second = await stand.app.inject({ method: 'POST', url: '/api/links/link-1/run', headers });
    expect(second.statusCode).toBe(409);
    expect(second.json().message).toMatch(/уже выполняется/);
    const page = await get(`/runs/${runId}`, admin.headers);
    expect(page.body).toContain(`data-poll-run="${runId}"`);
  });

  it('sends a strict CSP on its own pages: scripts and styles only from the app', async () => {
    const op = await stand.signedIn(['operator'], []);
    const r = await get('/', op.headers);
    const csp = String(r.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toMatch(/style-src 'self'(;|$)/);
    expect(r.body).not.toMatch(/<script(?![^>]*\bsrc=)/);
    expect(r.body).not.toMatch(/\sstyle="/);
    expect(r.body).not.toMatch(/<style/);
  });
});
