import type { FastifyInstance } from 'fastify';
import { buildWebServer } from '../../../src/web/server';
import { InMemorySessionStore } from '../../../src/web/auth/session-store';
import { SessionManager } from '../../../src/web/auth/sessions';
import { esiaSignInPort } from '../../../src/web/auth/esia-sign-in';
import { staticPrincipals } from '../../../src/web/auth/static-principals';
import { CookieJar } from '../../helpers/cookie-jar';
import { startEsiaStand, type EsiaStand } from '../../helpers/esia-stand';

describe('web sign-in through ЕСИА (emulator, real GOST)', () => {
  let app: FastifyInstance;
  let stand: EsiaStand;
  let base: string;
  const audit: { oid: string; action: string }[] = [];

  beforeAll(async () => {
    // The redirect URI must be known before the server listens: reserve a port first.
    const probe = await buildWebServer({
      sessions: new SessionManager(new InMemorySessionStore()),
      esia: { authorizationUrl: async () => ({ url: '', state: '' }), finishSignIn: async () => Promise.reject(new Error('x')), logoutUrl: () => '' },
      principals: staticPrincipals([]),
    });
    await probe.listen({ port: 0, host: '127.0.0.1' });
    const port = (probe.server.address() as { port: number }).port;
    await probe.close();
    base = `http://127.0.0.1:${port}`;
    stand = await startEsiaStand(`${base}/auth/esia/callback`, `${base}/auth/signed-out`);
    app = await buildWebServer({
      sessions: new SessionManager(new InMemorySessionStore(), { secureCookie: false }),
      esia: esiaSignInPort(stand.client),
      principals: staticPrincipals([{ oid: '1000100002', roles: ['school_admin'], schoolIds: ['school-1'] }]),
      audit: async (e) => {
        audit.push(e);
      },
      routes: (a) => {
        a.post('/api/echo', async (req) => ({ ok: true, who: req.principal!.oid }));
      },
    });
    await app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app.close();
    await stand.close();
  });

  /** Goes through ЕСИА's login page as `oid`; returns the jar holding ejsync's session. */
  async function signIn(oid: string, jar = new CookieJar()): Promise<{ jar: CookieJar; final: Response }> {
    const start = await jar.fetch(`${base}/auth/esia/login?returnTo=%2Fapi%2Fsession`);
    expect(start.status).toBe(302);
    const esiaUrl = start.headers.get('location')!;
    expect(esiaUrl.startsWith(stand.emulator.url)).toBe(true);
    const page = await fetch(esiaUrl);
    const html = await page.text();
    const login = /name="login" value="([^"]+)"/.exec(html)![1];
    const answer = await fetch(new URL('/aas/oauth2/v2/ac/login', esiaUrl), { method: 'POST', body: new URLSearchParams({ login, oid }), redirect: 'manual' });
    const callback = answer.headers.get('location')!;
    const final = await jar.fetch(callback);
    return { jar, final };
  }

  it('without a session a page redirects to sign-in and the API answers 401', async () => {
    const page = await fetch(`${base}/runs/1`, { redirect: 'manual' });
    expect(page.status).toBe(302);
    expect(page.headers.get('location')).toBe('/auth/esia/login?returnTo=%2Fruns%2F1');
    const api = await fetch(`${base}/api/session`);
    expect(api.status).toBe(401);
    expect((await api.json()).message).toMatch(/вход через ЕСИА/i);
  });

  it('signs in, rotates the session cookie, audits, and the cookie is http-only', async () => {
    const jar = new CookieJar();
    const start = await jar.fetch(`${base}/auth/esia/login`);
    const preSignIn = jar.header();
    expect(start.headers.getSetCookie()[0]).toMatch(/HttpOnly/i);
    expect(start.headers.getSetCookie()[0]).toMatch(/SameSite=Lax/i);
    const { final } = await signIn('1000100002', jar);
    expect(final.status).toBe(302);
    expect(final.headers.get('location')).toBe('/api/session');
    expect(jar.header()).not.toBe(preSignIn);
    const session = await (await jar.fetch(`${base}/api/session`)).json();
    expect(session.principal).toMatchObject({ oid: '1000100002', roles: ['school_admin'], schoolIds: ['school-1'] });
    expect(session.principal.displayName).toBe('Админов Сергей Петрович');
    expect(audit).toContainEqual(expect.objectContaining({ oid: '1000100002', action: 'sign_in' }));
  });

  it('a person with no role is refused', async () => {
    const { final } = await signIn('1000100003');
    expect(final.status).toBe(403);
    expect(await final.text()).toContain('Нет доступа к ejsync');
  });

  it('a callback in a browser that did not start the sign-in is refused', async () => {
    const { jar } = await signIn('1000100002');
    void jar;
    const stranger = new CookieJar();
    const answer = await stranger.fetch(`${base}/auth/esia/callback?code=x&state=y`);
    expect(answer.status).toBe(400);
  });

  it('actions need the CSRF token', async () => {
    const { jar } = await signIn('1000100002');
    const session = await (await jar.fetch(`${base}/api/session`)).json();
    const without = await jar.fetch(`${base}/api/echo`, { method: 'POST' });
    expect(without.status).toBe(403);
    expect((await without.json()).error).toBe('csrf');
    const wrong = await jar.fetch(`${base}/api/echo`, { method: 'POST', headers: { 'x-csrf-token': 'nope' } });
    expect(wrong.status).toBe(403);
    const ok = await jar.fetch(`${base}/api/echo`, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
    expect(ok.status).toBe(200);
    expect(await ok.json()).toEqual({ ok: true, who: '1000100002' });
  });

  it('logout ends ejsync’s session and sends the browser to ЕСИА’s logout', async () => {
    const { jar } = await signIn('1000100002');
    const session = await (await jar.fetch(`${base}/api/session`)).json();
    const out = await jar.fetch(`${base}/auth/logout`, { method: 'POST', headers: { 'x-csrf-token': session.csrfToken } });
    expect(out.status).toBe(302);
    expect(out.headers.get('location')).toContain(`${stand.emulator.url}/idp/ext/Logout?client_id=EJSYNC01`);
    expect((await jar.fetch(`${base}/api/session`)).status).toBe(401);
  });

  it('sends security headers', async () => {
    const r = await fetch(`${base}/healthz`);
    expect(r.headers.get('x-frame-options')).toBe('SAMEORIGIN');
    expect(r.headers.get('content-security-policy')).toContain("frame-ancestors 'none'");
    expect(r.headers.get('x-content-type-options')).toBe('nosniff');
  });
});
