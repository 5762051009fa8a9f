import { Writable } from 'node:stream';
import pino from 'pino';
import { InMemorySessionStore } from '../../../src/web/auth/session-store';
import { SessionManager } from '../../../src/web/auth/sessions';
import { staticPrincipals } from '../../../src/web/auth/static-principals';
import { buildWebServer } from '../../../src/web/server';

const esia = { authorizationUrl: async () => ({ url: 'http://esia.invalid/login', state: 'st-1' }), finishSignIn: async () => Promise.reject(new Error('not used')), logoutUrl: () => '/' };

/** Issue 14 (4): the dashboard logs its requests — method, path, status — and nothing that signs in or identifies. */
describe('dashboard request logs', () => {
  it('log method, path without query, status and time; no cookie, authorization, query or client address', async () => {
    const lines: string[] = [];
    const sink = new Writable({ write: (chunk, _enc, done) => (lines.push(String(chunk)), done()) });
    const logger = pino({ level: 'info' }, sink);
    const sessions = new SessionManager(new InMemorySessionStore(), { secureCookie: false });
    const app = await buildWebServer({ sessions, esia, principals: staticPrincipals([]), requestLogger: logger, routes: (a) => void a.get('/api/echo', async () => ({ ok: true })) });
    await app.inject({ url: '/auth/esia/callback?code=SECRET-CODE-123&state=st-1', headers: { cookie: 'ejsync_session=COOKIE-VALUE', authorization: 'Bearer TOKEN-VALUE' }, remoteAddress: '198.51.100.7' });
    await app.inject({ url: '/healthz' });
    await app.close();
    const text = lines.join('');
    for (const secret of ['SECRET-CODE-123', 'COOKIE-VALUE', 'TOKEN-VALUE', '198.51.100.7', 'state=']) expect(text).not.toContain(secret);
    const entries = lines.map((l) => JSON.parse(l) as { component?: string; req?: { method: string; path: string }; res?: { statusCode: number }; responseTime?: number });
    const callback = entries.filter((e) => e.req?.path === '/auth/esia/callback');
    expect(callback.length).toBeGreaterThan(0);
    expect(callback[0]).toMatchObject({ component: 'web', req: { method: 'GET', path: '/auth/esia/callback' } });
    const completed = entries.find((e) => e.res && typeof e.responseTime === 'number');
    expect(completed?.res?.statusCode).toBeGreaterThanOrEqual(200);
  });
});
