import { seedLink, startDashboardStand } from '../../helpers/dashboard-stand';

/** Issue 14 (1) on the dashboard: the run page names the uploaded export the run planned from. */
describe('dashboard run page: which uploaded export a run planned from', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;
  const sha256 = 'ab'.repeat(32);

  beforeAll(async () => {
    stand = await startDashboardStand();
    await seedLink(stand.store, 'link-1', 'school-1');
    await stand.store.runs.create({ id: 'run-upload', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
    await stand.store.runs.update('run-upload', { summary: { sourceExport: { sha256, receivedAt: '2026-11-30T20:15:00.000Z', size: 3 * 1024 * 1024, fileName: 'export.zip', format: 'zip' } } });
    await stand.store.runs.create({ id: 'run-path', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
  });
  afterAll(async () => stand?.close());

  it('shows when it was received (school time), its name, size and hash; a run read from the link path shows none', async () => {
    const admin = await stand.signedIn(['school_admin'], ['school-1']);
    const page = await stand.app.inject({ method: 'GET', url: '/runs/run-upload', headers: admin.headers });
    expect(page.statusCode).toBe(200);
    const fact = page.body.slice(page.body.indexOf(`data-source-export="${sha256}"`));
    expect(fact).toMatch(/^data-source-export="[0-9a-f]{64}">загружена 01\.12\.2026, 01:15, export\.zip, 3\.0 МиБ, SHA-256 <code title="[0-9a-f]{64}">abababababab…<\/code>/);
    const other = await stand.app.inject({ method: 'GET', url: '/runs/run-path', headers: admin.headers });
    expect(other.statusCode).toBe(200);
    expect(other.body).not.toContain('data-source-export');
  });
});
