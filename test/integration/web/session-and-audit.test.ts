import { sql } from 'kysely';
import { InMemorySessionStore } from '../../../src/web/auth/session-store';
import { SessionManager } from '../../../src/web/auth/sessions';
import { staticPrincipals } from '../../../src/web/auth/static-principals';
import { buildWebServer } from '../../../src/web/server';
import { seedLink, seedPartialRun, startDashboardStand } from '../../helpers/dashboard-stand';

const esia = { authorizationUrl: async () => ({ url: 'http://esia.invalid/login', state: 'st-1' }), finishSignIn: async () => Promise.reject(new Error('not used')), logoutUrl: () => '/' };

describe('sessions and the audit of access (real PostgreSQL)', () => {
  let stand: Awaited<ReturnType<typeof startDashboardStand>>;
  beforeAll(async () => {
    stand = await startDashboardStand();
    await seedLink(stand.store, 'link-1', 'school-1');
    await seedLink(stand.store, 'link-2', 'school-2');
    await seedPartialRun(stand.store, { id: 'run-2', linkId: 'link-2', schoolId: 'school-2', failed: 1, applied: 0, code: 'dnevnik.not_found' });
  });
  afterAll(async () => stand.close());

  it('hits on the sign-in page create no session rows; the state rides in an http-only cookie of that path', async () => {
    const count = async () => Number((await sql<{ n: string }>`select count(*) as n from sessions`.execute(stand.store.db)).rows[0].n);
    const before = await count();
    for (let i = 0; i < 25; i++) {
      const r = await stand.app.inject({ url: '/auth/esia/login?returnTo=%2Fruns%2Frun-1' });
      expect(r.statusCode).toBe(302);
      expect(String(r.headers['set-cookie'])).toMatch(/^ejsync_signin=[^;]+; Max-Age=900; Path=\/auth\/esia; HttpOnly; SameSite=Lax/);
    }
    expect(await count()).toBe(before);
    // A callback without that cookie is refused.
    expect((await stand.app.inject({ url: '/auth/esia/callback?code=x&state=st-1' })).statusCode).toBe(400);
  });

  it('a session ends after its absolute lifetime however active it is', async () => {
    let now = new Date('2026-11-21T08:00:00Z');
    const sessions = new SessionManager(new InMemorySessionStore(), { ttlMs: 3600_000, absoluteTtlMs: 4 * 3600_000 }, () => now);
    const { cookie } = await sessions.create({ principal: { oid: '1', displayName: 'x', roles: ['viewer'], schoolIds: ['s'] } });
    for (let h = 0; h < 4; h++) {
      now = new Date(now.getTime() + 50 * 60_000);
      const s = await sessions.load(cookie);
      expect(s).not.toBeNull();
      await sessions.touch(s!);
      expect(s!.expiresAt.getTime()).toBeLessThanOrEqual(new Date('2026-11-21T12:00:00Z').getTime());
    }
    // Touched at 11:20 with an hour of idle time left, yet it ends at 12:00.
    now = new Date('2026-11-21T11:59:00Z');
    expect(await sessions.load(cookie)).not.toBeNull();
    now = new Date('2026-11-21T12:00:00Z');
    expect(await sessions.load(cookie)).toBeNull();
  });

  it('refused access (another school’s run, a missing page, a forged action) is in the audit trail; proxies’ headers are believed only when configured', async () => {
    const audit: { oid: string; action: string; details?: Record<string, unknown>; schoolId?: string }[] = [];
    const sessions = new SessionManager(new InMemorySessionStore(), { secureCookie: false });
    const app = await buildWebServer({
      sessions,
      esia,
      principals: staticPrincipals([]),
      audit: async (e) => {
        audit.push(e);
      },
      routes: (a) => {
        a.get('/runs/:id', async (_req, reply) => reply.code(404).send('нет'));
        a.post('/api/runs/:id/approve', async () => ({ ok: true }));
        a.get('/api/ip', async (req) => ({ ip: req.ip }));
      },
    });
    const { cookie, session } = await sessions.create({ principal: { oid: '1000100002', displayName: 'Админов Сергей Петрович', roles: ['school_admin'], schoolIds: ['school-1'] } });
    const headers = { cookie: `${sessions.cookieName}=${cookie}` };
    await app.inject({ url: '/runs/run-2', headers });
    await app.inject({ method: 'POST', url: '/api/runs/run-2/approve', headers });
    await app.inject({ url: '/assets/nothing.css', headers });
    expect(audit).toEqual([
      { oid: '1000100002', displayName: 'Админов Сергей Петрович', action: 'access.refused', details: { method: 'GET', path: '/runs/run-2', status: 404 } },
      { oid: '1000100002', displayName: 'Админов Сергей Петрович', action: 'access.refused', details: { method: 'POST', path: '/api/runs/run-2/approve', status: 403, csrf: true } },
    ]);
    // X-Forwarded-For is not believed unless a proxy is configured.
    expect((await app.inject({ url: '/api/ip', headers: { ...headers, 'x-forwarded-for': '203.0.113.9' }, remoteAddress: '127.0.0.1' })).json().ip).toBe('127.0.0.1');
    await app.close();
    const behind = await buildWebServer({ sessions, esia, principals: staticPrincipals([]), trustProxy: ['127.0.0.1'], routes: (a) => void a.get('/api/ip', async (req) => ({ ip: req.ip })) });
    expect((await behind.inject({ url: '/api/ip', headers: { ...headers, 'x-forwarded-for': '203.0.113.9' }, remoteAddress: '127.0.0.1' })).json().ip).toBe('203.0.113.9');
    await behind.close();
    void session;
  });
});
