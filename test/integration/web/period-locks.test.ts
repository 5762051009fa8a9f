import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateSchool } from '../../../src/connectors/demo-school';
import { SnapshotCollector, type Snapshot } from '../../../src/model';
import { writeMisExport } from '../../helpers/cli-stand';
import { seedLink, startDashboardStand } from '../../helpers/dashboard-stand';

/**
 * Issue 13 (periods) on the dashboard: a link's reporting periods listed with their ejsync lock;
 * close (with a reason) and reopen through the confirmation page, CSRF-protected, audited with
 * the signed-in ЕСИА identity; the API twin; another school's person gets 404, a viewer 403.
 * Real PostgreSQL, real Redis.
 */
describe('dashboard: closing and reopening a reporting period in ejsync', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;
  let dir: string;
  let source: Snapshot;
  let schoolId: string;
  const form = (url: string, headers: Record<string, string>, body: Record<string, string>) =>
    stand.app.inject({ method: 'POST', url, headers: { ...headers, 'content-type': 'application/x-www-form-urlencoded' }, payload: new URLSearchParams(body).toString() });

  beforeAll(async () => {
    stand = await startDashboardStand();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-periods-'));
    const collector = new SnapshotCollector();
    await generateSchool(collector, { pupils: 8, seed: 'web-periods', weeks: 1 });
    source = collector.snapshot();
    await writeMisExport(dir, source);
    schoolId = source.school.sourceId;
    const config = await seedLink(stand.store, 'link-p', schoolId);
    await stand.store.links.upsert({ id: 'link-p', name: config.name, schoolId, platform: 'dnevnik', config: { ...config, source: { path: dir, format: 'auto' } } });
    await seedLink(stand.store, 'link-other', 'school-other');
  });
  afterAll(async () => {
    await stand?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  const openPeriod = () => source.periods.find((p) => !p.closed)!;

  it('lists the export’s periods; close with a reason → lock stored and audited with the signed-in identity; reopen', async () => {
    const period = openPeriod();
    expect(period).toBeDefined();
    const admin = await stand.signedIn(['school_admin'], [schoolId], 'Завучева Ольга Петровна');

    const list = await stand.app.inject({ url: '/links/link-p/periods', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    for (const p of source.periods) expect(list.body).toContain(`data-period="${p.sourceId}"`);
    const confirmHref = `/links/link-p/periods/${encodeURIComponent(period.sourceId)}/confirm/close`;
    expect(list.body).toContain(`href="${confirmHref}"`);
    // The overview row links to the periods.
    expect((await stand.app.inject({ url: '/', headers: admin.headers })).body).toContain('href="/links/link-p/periods"');

    const confirm = await stand.app.inject({ url: confirmHref, headers: admin.headers });
    expect(confirm.statusCode).toBe(200);
    const action = `/links/link-p/periods/${encodeURIComponent(period.sourceId)}/actions/close`;
    expect(confirm.body).toContain(`action="${action}"`);
    expect(confirm.body).toContain(`name="_csrf" value="${admin.csrf}"`);
    expect(confirm.body).toContain('name="reason" required');

    // Without the CSRF token, without confirmation or without a reason: nothing is closed.
    expect((await form(action, admin.headers, { confirm: 'yes', reason: 'приказ № 45' })).statusCode).toBe(403);
    expect((await form(action, admin.headers, { _csrf: admin.csrf, reason: 'приказ № 45' })).statusCode).toBe(400);
    expect((await form(action, admin.headers, { _csrf: admin.csrf, confirm: 'yes', reason: '  ' })).statusCode).toBe(400);
    expect(await stand.store.periodLocks.forLink('link-p')).toEqual([]);

    const closed = await form(action, admin.headers, { _csrf: admin.csrf, confirm: 'yes', reason: 'приказ № 45 от 28.10.2026' });
    expect(closed.statusCode).toBe(303);
    expect(closed.headers.location).toBe('/links/link-p/periods');
    expect(await stand.store.periodLocks.forLink('link-p')).toEqual([
      expect.objectContaining({ periodId: period.sourceId, reason: 'приказ № 45 от 28.10.2026', closedByOid: admin.principal.oid, closedByName: 'Завучева Ольга Петровна' }),
    ]);
    const audit = await stand.store.audit.list({ limit: 50 });
    expect(audit).toContainEqual(
      expect.objectContaining({ action: 'period.closed', actorOid: admin.principal.oid, actorName: 'Завучева Ольга Петровна', objectId: `link-p/${period.sourceId}`, schoolId, details: expect.objectContaining({ reason: 'приказ № 45 от 28.10.2026' }) }),
    );

    // Closed: shown with who and why; a second close is refused; the action offered is reopen.
    const after = await stand.app.inject({ url: '/links/link-p/periods', headers: admin.headers });
    expect(after.body).toContain('закрыт в ejsync');
    expect(after.body).toContain('Завучева Ольга Петровна: приказ № 45 от 28.10.2026');
    expect((await stand.app.inject({ url: confirmHref, headers: admin.headers })).statusCode).toBe(409);
    expect(after.body).toContain(`/periods/${encodeURIComponent(period.sourceId)}/confirm/reopen`);

    const reopened = await form(`/links/link-p/periods/${encodeURIComponent(period.sourceId)}/actions/reopen`, admin.headers, { _csrf: admin.csrf, confirm: 'yes', reason: 'приказ № 47: исправление отметки' });
    expect(reopened.statusCode).toBe(303);
    expect(await stand.store.periodLocks.forLink('link-p')).toEqual([]);
    expect(await stand.store.audit.list({ limit: 50 })).toContainEqual(
      expect.objectContaining({ action: 'period.reopened', actorOid: admin.principal.oid, details: expect.objectContaining({ reason: 'приказ № 47: исправление отметки', closeReason: 'приказ № 45 от 28.10.2026' }) }),
    );
  });

  it('another school’s person gets 404, a viewer of the school sees the periods but may not act (403)', async () => {
    const period = openPeriod();
    const action = `/links/link-p/periods/${encodeURIComponent(period.sourceId)}/actions/close`;
    const other = await stand.signedIn(['school_admin'], ['school-other']);
    expect((await stand.app.inject({ url: '/links/link-p/periods', headers: other.headers })).statusCode).toBe(404);
    expect((await stand.app.inject({ url: `/links/link-p/periods/${encodeURIComponent(period.sourceId)}/confirm/close`, headers: other.headers })).statusCode).toBe(404);
    expect((await form(action, other.headers, { _csrf: other.csrf, confirm: 'yes', reason: 'чужой приказ' })).statusCode).toBe(404);
    const api = await stand.app.inject({ method: 'POST', url: `/api/links/link-p/periods/${encodeURIComponent(period.sourceId)}/close`, headers: { ...other.headers, 'x-csrf-token': other.csrf }, payload: { reason: 'чужой приказ' } });
    expect(api.statusCode).toBe(404);

    const viewer = await stand.signedIn(['viewer'], [schoolId]);
    const list = await stand.app.inject({ url: '/links/link-p/periods', headers: viewer.headers });
    expect(list.statusCode).toBe(200);
    expect(list.body).not.toContain('/confirm/close');
    expect((await form(action, viewer.headers, { _csrf: viewer.csrf, confirm: 'yes', reason: 'приказ' })).statusCode).toBe(403);
    expect(await stand.store.periodLocks.forLink('link-p')).toEqual([]);
  });

  it('the API twin: list, close with a reason, refuse a second close, reopen; an unknown period is 404', async () => {
    const period = openPeriod();
    const admin = await stand.signedIn(['school_admin'], [schoolId]);
    const headers = { ...admin.headers, 'x-csrf-token': admin.csrf };
    const url = (action: string) => `/api/links/link-p/periods/${encodeURIComponent(period.sourceId)}/${action}`;

    expect((await stand.app.inject({ method: 'POST', url: url('close'), headers, payload: {} })).json()).toMatchObject({ error: 'reason_required' });
    const closed = await stand.app.inject({ method: 'POST', url: url('close'), headers, payload: { reason: 'приказ № 50' } });
    expect(closed.statusCode).toBe(200);
    expect(closed.json()).toMatchObject({ linkId: 'link-p', periodId: period.sourceId, changed: true });
    const again = await stand.app.inject({ method: 'POST', url: url('close'), headers, payload: { reason: 'приказ № 50' } });
    expect(again.statusCode).toBe(409);

    const list = await stand.app.inject({ url: '/api/links/link-p/periods', headers: admin.headers });
    expect(list.statusCode).toBe(200);
    const rows = list.json().periods as { periodId: string; lockedInEjsync: { reason: string } | null }[];
    expect(rows).toHaveLength(source.periods.length);
    expect(rows.find((r) => r.periodId === period.sourceId)!.lockedInEjsync).toMatchObject({ reason: 'приказ № 50' });

    expect((await stand.app.inject({ method: 'POST', url: url('reopen'), headers, payload: { reason: 'приказ № 51' } })).json()).toMatchObject({ changed: true });
    expect((await stand.app.inject({ method: 'POST', url: '/api/links/link-p/periods/no-such-period/close', headers, payload: { reason: 'x' } })).statusCode).toBe(404);
    expect(await stand.store.periodLocks.forLink('link-p')).toEqual([]);
  });
});
