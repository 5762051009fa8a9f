import type { AuditRecord } from '../../../src/store';
import { seedLink, seedPartialRun, startDashboardStand } from '../../helpers/dashboard-stand';

/**
 * Issue 17 pt 7: every action of a person that changes state is audited with the state before and
 * after it — through the dashboard (pause, resume, retry of one record, a run started now, a
 * manual action marked) and in the store for what the CLI does (periods closed and reopened, roles).
 */
describe('the audit keeps before → after for every state-changing action of a person (real PostgreSQL, Redis)', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;
  beforeAll(async () => {
    stand = await startDashboardStand();
    await seedLink(stand.store, 'link-1', 'school-1');
    await seedLink(stand.store, 'link-2', 'school-1');
    await seedPartialRun(stand.store, { id: 'run-1', linkId: 'link-1', schoolId: 'school-1', failed: 2, applied: 1, code: 'dnevnik.parameter_invalid' });
  });
  afterAll(async () => stand?.close());

  it('pause, resume, retry of one record, run now, a manual action marked done, a period closed and reopened, a role assigned and revoked', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1'], 'Админова Ирина Олеговна');
    const post = async (url: string, body?: object) => {
      const r = await stand.app.inject({ method: 'POST', url, headers: { ...admin.headers, 'x-csrf-token': admin.csrf }, ...(body ? { payload: body } : {}) });
      expect([url, r.statusCode]).toEqual([url, 200]);
    };
    await post('/api/links/link-1/pause');
    await post('/api/links/link-1/resume');
    await post('/api/runs/run-1/retry', { changeId: 'marks.create.m0' });
    await post('/api/runs/run-1/manual-actions/done', { actionIds: ['pupils.create.p9'] });
    await post('/api/links/link-2/run');
    const actor = { actorOid: admin.principal.oid, actorName: admin.principal.displayName };
    expect(await stand.store.periodLocks.close('link-1', 'q1', 'приказ № 5', actor, 'school-1')).toBe(true);
    expect(await stand.store.periodLocks.reopen('link-1', 'q1', 'приказ № 6', actor, 'school-1')).toBe(true);
    await stand.store.access.assign('1000200003', 'viewer', 'school-1', actor.actorOid, actor);
    await stand.store.access.revoke('1000200003', 'viewer', 'school-1', actor);

    const rows: AuditRecord[] = (await stand.store.audit.list({ limit: 500 })).filter((r) => r.actorOid === admin.principal.oid);
    const actions = rows.map((r) => r.action);
    const expected = ['link.pause', 'link.resume', 'run.applying', 'run.retry_change', 'manual_actions.done', 'link.run_now', 'period.closed', 'period.reopened', 'role.assigned', 'role.revoked'];
    expect(actions).toEqual(expect.arrayContaining(expected));
    const missing = rows.filter((r) => !r.details || !('before' in r.details) || !('after' in r.details)).map((r) => `${r.action} ${JSON.stringify(r.details)}`);
    expect(missing).toEqual([]);
    const of = (action: string) => rows.find((r) => r.action === action)!.details ?? {};
    expect(of('link.pause')).toMatchObject({ before: { paused: false }, after: { paused: true } });
    expect(of('run.retry_change')).toMatchObject({ changeId: 'marks.create.m0', before: { status: 'failed' }, after: { status: 'pending' } });
    expect(of('run.applying')).toMatchObject({ before: { status: 'partial' }, after: { status: 'applying' } });
    expect(of('period.closed')).toMatchObject({ reason: 'приказ № 5', before: { closed: false }, after: { closed: true } });
    expect(of('period.reopened')).toMatchObject({ before: { closed: true }, after: { closed: false } });
    expect(of('role.assigned')).toMatchObject({ role: 'viewer', before: { assigned: false }, after: { assigned: true } });
    expect(of('role.revoked')).toMatchObject({ role: 'viewer', before: { assigned: true }, after: { assigned: false } });
    expect(of('link.run_now')).toMatchObject({ before: { status: null }, after: { status: expect.any(String) } });
  });

  it('the audit is filtered by school (chosen by name, on the page, the API and the export); another school’s filter finds nothing for a school’s admin', async () => {
    await seedLink(stand.store, 'link-3', 'school-3');
    const op = await stand.signedIn(['operator'], [], 'Операторова Мария Ивановна');
    await stand.app.inject({ method: 'POST', url: '/api/links/link-3/pause', headers: { ...op.headers, 'x-csrf-token': op.csrf } });
    const api = async (url: string, headers: Record<string, string>) => (await stand.app.inject({ url, headers })).json() as { audit: { schoolId: string | null; action: string }[] };
    const everything = await api('/api/audit', op.headers);
    expect(new Set(everything.audit.map((r) => r.schoolId))).toEqual(new Set(['school-1', 'school-3']));
    const one = await api('/api/audit?school=school-3', op.headers);
    expect(one.audit.map((r) => [r.schoolId, r.action])).toEqual([['school-3', 'link.pause']]);
    const page = (await stand.app.inject({ url: '/audit?school=school-3', headers: op.headers })).body;
    expect(page).toMatch(/<select name="school"><option value="">все школы<\/option>.*<option value="school-3" selected>/);
    expect(page).toContain('school=school-3');
    const csv = (await stand.app.inject({ url: '/api/exports/audit?format=csv&school=school-1', headers: op.headers })).body;
    expect(csv).not.toContain('school-3');
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    expect((await api('/api/audit?school=school-3', admin.headers)).audit).toEqual([]);
    expect((await api('/api/audit?school=school-1', admin.headers)).audit.length).toBeGreaterThan(5);
  });
});
