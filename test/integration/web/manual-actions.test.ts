import { seedLink, seedPartialRun, startDashboardStand } from '../../helpers/dashboard-stand';

/** Three more actions of one group, besides the seeded «Зачислить ученика в класс 5А». */
const GROUP = ['pupils.create.p10', 'pupils.create.p11', 'pupils.create.p12'];
const ENROL = 'pupils.create.p9';

describe('the manual actions checklist: marked done and reopened, scoped, CSRF-protected, audited (real PostgreSQL, real Redis)', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;

  beforeAll(async () => {
    stand = await startDashboardStand();
    const { store } = stand;
    await seedLink(store, 'link-1', 'school-1');
    await seedLink(store, 'link-2', 'school-2');
    await seedPartialRun(store, { id: 'run-1', linkId: 'link-1', schoolId: 'school-1', failed: 1, applied: 1, code: 'dnevnik.not_found' });
    // The other school's run holds an action with the same id: marks never cross runs.
    await seedPartialRun(store, { id: 'run-2', linkId: 'link-2', schoolId: 'school-2', failed: 1, applied: 1, code: 'dnevnik.not_found' });
    await store.manualActions.add(
      'run-1',
      GROUP.map((actionId, i) => ({
        actionId,
        entity: 'pupils',
        op: 'create',
        sourceId: `p1${i}`,
        title: 'Создать ученика',
        fields: [{ label: 'Фамилия', value: `Петров-${i}` }],
        reason: 'API платформы не позволяет создавать учеников',
      })),
    );
  });

  afterAll(async () => stand.close());

  const statuses = async (runId: string) => Object.fromEntries((await stand.store.manualActions.forRun(runId)).map((a) => [a.actionId, a.status]));
  const auditOf = async (action: string) => (await stand.store.audit.list({ limit: 1000 })).filter((e) => e.action === action);
  const post = (url: string, headers: Record<string, string>, payload?: object) => stand.app.inject({ method: 'POST', url, headers, ...(payload ? { payload } : {}) });
  /** The checklist row of one action on the run page. */
  const rowOf = (page: string, actionId: string) => page.match(new RegExp(`<tr data-action="${actionId.replace(/\./g, '\\.')}"[^]*?</tr>`))?.[0] ?? '';
  const form = (url: string, headers: Record<string, string>, body: string) => stand.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: body });

  it('a school administrator marks an action done through the API: status done, one audit row with who and which ids', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1'], 'Админова Ольга Петровна');
    const headers = { ...admin.headers, 'x-csrf-token': admin.csrf };
    const r = await post('/api/runs/run-1/manual-actions/done', headers, { actionIds: [ENROL] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ runId: 'run-1', status: 'done', changed: 1, open: 3, message: expect.stringContaining('Отмечено выполненным') });
    expect(await statuses('run-1')).toEqual({ [ENROL]: 'done', [GROUP[0]]: 'open', [GROUP[1]]: 'open', [GROUP[2]]: 'open' });
    expect(await statuses('run-2')).toEqual({ [ENROL]: 'open' });

    const rows = await auditOf('manual_actions.done');
    expect(rows).toEqual([
      expect.objectContaining({ actorOid: admin.principal.oid, actorName: 'Админова Ольга Петровна', objectType: 'run', objectId: 'run-1', schoolId: 'school-1', details: { count: 1, actionIds: [ENROL], before: 'open', after: 'done' } }),
    ]);
    expect(Date.now() - rows[0].at.getTime()).toBeLessThan(60_000);

    // Marking it again changes nothing and writes no second audit row.
    const again = await post('/api/runs/run-1/manual-actions/done', headers, { actionIds: [ENROL] });
    expect(again.json()).toMatchObject({ changed: 0, open: 3 });
    expect(await auditOf('manual_actions.done')).toHaveLength(1);

    // The run's detail shows who marked it and when.
    const detail = (await stand.app.inject({ url: '/api/runs/run-1', headers: admin.headers })).json();
    const enrol = detail.manualActions.flatMap((g: { actions: unknown[] }) => g.actions).find((a: { actionId: string }) => a.actionId === ENROL);
    expect(enrol).toMatchObject({ status: 'done', doneBy: 'Админова Ольга Петровна', doneAt: expect.any(String) });
  });

  it('refuses without the CSRF token, and refuses bad input; nothing changes', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const before = await statuses('run-1');
    const without = await post('/api/runs/run-1/manual-actions/done', admin.headers, { actionIds: [GROUP[0]] });
    expect(without.statusCode).toBe(403);
    expect(without.json().error).toBe('csrf');
    const wrong = await post('/api/runs/run-1/manual-actions/done', { ...admin.headers, 'x-csrf-token': 'not-the-token' }, { actionIds: [GROUP[0]] });
    expect(wrong.statusCode).toBe(403);
    const noCsrfForm = await form('/runs/run-1/manual-actions/done', admin.headers, `actionIds=${GROUP[0]}`);
    expect(noCsrfForm.statusCode).toBe(403);
    const empty = await post('/api/runs/run-1/manual-actions/done', { ...admin.headers, 'x-csrf-token': admin.csrf }, { actionIds: [] });
    expect(empty.statusCode).toBe(400);
    expect(empty.json()).toMatchObject({ error: 'action_ids_required', message: expect.stringContaining('Укажите') });
    expect(await statuses('run-1')).toEqual(before);
  });

  it('an administrator of another school is refused exactly like other run actions (404, API and page), and nothing changes', async () => {
    const other = await stand.signedIn(['school_admin'], ['school-2']);
    const headers = { ...other.headers, 'x-csrf-token': other.csrf };
    const before = await statuses('run-1');
    const auditBefore = (await stand.store.audit.list({ limit: 1000 })).length;
    for (const mark of ['done', 'reopen']) {
      const r = await post(`/api/runs/run-1/manual-actions/${mark}`, headers, { actionIds: [GROUP[0], ENROL] });
      expect([mark, r.statusCode]).toEqual([mark, 404]);
      expect(r.json()).toMatchObject({ error: 'not_found', message: 'Запуск не найден' });
      expect(r.body).not.toContain('school-1');
    }
    const page = await form('/runs/run-1/manual-actions/done', other.headers, `_csrf=${other.csrf}&actionIds=${GROUP[0]}`);
    expect(page.statusCode).toBe(404);
    expect(await statuses('run-1')).toEqual(before);
    expect((await stand.store.audit.list({ limit: 1000 })).length).toBe(auditBefore);

    // Their own run's action of the same id is theirs to mark; run-1's stays as it was.
    const own = await post('/api/runs/run-2/manual-actions/done', headers, { actionIds: [ENROL, GROUP[0]] });
    expect(own.json()).toMatchObject({ changed: 1, open: 0 });
    expect(await statuses('run-1')).toEqual(before);
  });

  it('a viewer sees the checklist state but may not mark (403) and gets no buttons', async () => {
    const viewer = await stand.signedIn(['viewer'], ['school-1']);
    const r = await post('/api/runs/run-1/manual-actions/done', { ...viewer.headers, 'x-csrf-token': viewer.csrf }, { actionIds: [GROUP[0]] });
    expect(r.statusCode).toBe(403);
    expect(r.json().message).toMatch(/Недостаточно прав/);
    expect((await form('/runs/run-1/manual-actions/reopen', viewer.headers, `_csrf=${viewer.csrf}&actionIds=${ENROL}`)).statusCode).toBe(403);
    expect((await statuses('run-1'))[GROUP[0]]).toBe('open');
    expect((await statuses('run-1'))[ENROL]).toBe('done');
    const page = (await stand.app.inject({ url: '/runs/run-1', headers: viewer.headers })).body;
    expect(rowOf(page, ENROL)).toMatch(/data-state="done".*выполнено.*Админова Ольга Петровна/s);
    expect(page).not.toContain('/manual-actions/');
    expect(page).not.toContain('Отметить выполненным');
  });

  it('the run page: one action and a whole group marked by direct forms; done actions struck through with who and when; reopen', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1'], 'Админов Сергей Петрович');
    let page = (await stand.app.inject({ url: '/runs/run-1', headers: admin.headers })).body;
    expect(page).toContain('осталось 3 из 4');
    expect(page).toContain('Отметить выполненным');
    expect(page).toContain('Всё в группе выполнено');
    expect(page).toContain(`name="_csrf" value="${admin.csrf}"`);
    expect(rowOf(page, ENROL)).toMatch(/^<tr data-action="[^"]+" data-state="done" class="done">.*<td class="manual-data"[^>]*>.*Смирнова.*выполнено.*Админова Ольга Петровна, \d{2}\.\d{2}\.\d{4}.*Вернуть в работу/s);
    expect(rowOf(page, GROUP[0])).toMatch(/data-state="open">.*открыто.*name="actionIds" value="pupils\.create\.p10".*Отметить выполненным/s);

    // «Всё в группе выполнено» posts every open id of the group at once.
    const group = await form('/runs/run-1/manual-actions/done', admin.headers, [`_csrf=${admin.csrf}`, ...GROUP.map((id) => `actionIds=${id}`)].join('&'));
    expect(group.statusCode).toBe(303);
    expect(group.headers.location).toBe('/runs/run-1#manual');
    expect(await statuses('run-1')).toEqual({ [ENROL]: 'done', [GROUP[0]]: 'done', [GROUP[1]]: 'done', [GROUP[2]]: 'done' });
    const groupAudit = (await auditOf('manual_actions.done')).find((e) => e.actorName === 'Админов Сергей Петрович' && e.objectId === 'run-1');
    expect(groupAudit?.details).toEqual({ count: 3, actionIds: [...GROUP].sort(), before: 'open', after: 'done' });

    page = (await stand.app.inject({ url: '/runs/run-1', headers: admin.headers })).body;
    expect(page).toContain('всё выполнено: 4');
    expect(page).toContain('Вернуть всю группу в работу');
    expect(rowOf(page, GROUP[1])).toMatch(/data-state="done" class="done">.*выполнено.*Админов Сергей Петрович/s);
    expect(page).not.toContain('действий нужно выполнить вручную');

    // Reopen one: it is open again, audited, and no longer shows who marked it.
    const reopen = await form('/runs/run-1/manual-actions/reopen', admin.headers, `_csrf=${admin.csrf}&actionIds=${GROUP[1]}`);
    expect(reopen.statusCode).toBe(303);
    expect((await statuses('run-1'))[GROUP[1]]).toBe('open');
    expect(await auditOf('manual_actions.reopened')).toEqual([expect.objectContaining({ actorName: 'Админов Сергей Петрович', objectId: 'run-1', schoolId: 'school-1', details: { count: 1, actionIds: [GROUP[1]], before: 'done', after: 'open' } })]);
    page = (await stand.app.inject({ url: '/runs/run-1', headers: admin.headers })).body;
    expect(page).toContain('осталось 1 из 4');
    expect(rowOf(page, GROUP[1])).toMatch(/data-state="open">.*открыто.*Отметить выполненным/s);
    expect(rowOf(page, GROUP[1])).not.toContain('Админов Сергей Петрович');
    const audit = (await stand.app.inject({ url: '/audit', headers: admin.headers })).body;
    expect(audit).toContain('вернул ручные действия в работу');
    expect(audit).toContain('отметил ручные действия выполненными');
  });

  it('reopen through the API, and the operator may mark too', async () => {
    const op = await stand.signedIn(['operator'], [], 'Операторова Мария Ивановна');
    const headers = { ...op.headers, 'x-csrf-token': op.csrf };
    const r = await post('/api/runs/run-1/manual-actions/reopen', headers, { actionIds: [ENROL, 'no.such.action'] });
    expect(r.statusCode).toBe(200);
    expect(r.json()).toMatchObject({ status: 'open', changed: 1, open: 2, message: expect.stringContaining('Возвращено в работу') });
    expect((await statuses('run-1'))[ENROL]).toBe('open');
    const done = await post('/api/runs/run-1/manual-actions/done', headers, { actionIds: [ENROL] });
    expect(done.json()).toMatchObject({ changed: 1, open: 1 });
    expect(await stand.store.manualActions.openCount('run-1')).toBe(1);
  });

  it('the manual actions export has «Состояние» (выполнено / открыто) and who marked it', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const r = await stand.app.inject({ url: '/api/runs/run-1/exports/manual-actions?format=csv', headers: admin.headers });
    expect(r.statusCode).toBe(200);
    const text = r.rawPayload.subarray(3).toString('utf8');
    const [header] = text.split('\r\n');
    expect(header.split(';')).toEqual(['Вид записей', 'Что сделать', 'Данные для ввода', 'Почему вручную', 'Идентификатор в МИС', 'Состояние', 'Кто отметил выполненным', 'Когда отмечено']);
    // One line per action, by its source id (the cells with line breaks are quoted).
    const line = (sourceId: string) => text.split('\r\n').find((l) => l.includes(`;${sourceId};`)) ?? '';
    expect(line('p9')).toMatch(/;p9;выполнено;Операторова Мария Ивановна;\d{2}\.\d{2}\.\d{4}, \d{2}:\d{2}$/);
    expect(line('p10')).toMatch(/;p10;выполнено;Админов Сергей Петрович;/);
    expect(line('p11')).toMatch(/;p11;открыто;;$/);
  });
});
