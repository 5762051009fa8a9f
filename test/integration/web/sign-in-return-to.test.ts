import type { FastifyInstance } from 'fastify';
import { esiaSignInPort } from '../../../src/web/auth/esia-sign-in';
import { InMemorySessionStore } from '../../../src/web/auth/session-store';
import { SessionManager } from '../../../src/web/auth/sessions';
import { staticPrincipals } from '../../../src/web/auth/static-principals';
import { buildWebServer, SIGN_IN_COOKIE } from '../../../src/web/server';
import { CookieJar } from '../../helpers/cookie-jar';
import { startEsiaStand, type EsiaStand } from '../../helpers/esia-stand';

/**
 * Where the browser goes after signing in through ЕСИА (issue 18 point 7): only a path on this
 * site; `/\host`, `/%09/host`, `%0A` and the like go to `/`, never to another site nor a 500.
 */
describe('return after sign-in (ЕСИА emulator, real GOST)', () => {
  let app: FastifyInstance;
  let stand: EsiaStand;
  let base: string;
  /** A return path forged into the browser's sign-in cookie (the pending sign-in lives there, not in a session row). */
  let storedReturnTo: string | undefined;

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
    });
    await app.listen({ port, host: '127.0.0.1' });
  });

  afterAll(async () => {
    await app?.close();
    await stand?.close();
  });

  /** Signs in through ЕСИА's login page starting from `/auth/esia/login?<query>`; returns ejsync's last answer. */
  async function signInFrom(query: string): Promise<Response> {
    const jar = new CookieJar();
    const start = await jar.fetch(`${base}/auth/esia/login?${query}`);
    expect(start.status).toBe(302);
    if (storedReturnTo !== undefined) {
      const cookie = start.headers.getSetCookie().find((c) => c.startsWith(`${SIGN_IN_COOKIE}=`))!;
      const pending = JSON.parse(Buffer.from(cookie.split(';')[0].split('=')[1], 'base64url').toString('utf8'));
      jar.absorb(new Response(null, { headers: { 'set-cookie': `${SIGN_IN_COOKIE}=${Buffer.from(JSON.stringify({ ...pending, returnTo: storedReturnTo })).toString('base64url')}; Path=/auth/esia` } }));
    }
    const esiaUrl = start.headers.get('location')!;
    expect(esiaUrl.startsWith(stand.emulator.url)).toBe(true);
    const html = await (await fetch(esiaUrl)).text();
    const login = /name="login" value="([^"]+)"/.exec(html)![1];
    const answer = await fetch(new URL('/aas/oauth2/v2/ac/login', esiaUrl), { method: 'POST', body: new URLSearchParams({ login, oid: '1000100002' }), redirect: 'manual' });
    const final = await jar.fetch(answer.headers.get('location')!);
    // Signed in whatever the return path was.
    expect((await (await jar.fetch(`${base}/api/session`)).json()).principal).toMatchObject({ oid: '1000100002' });
    return final;
  }

  it.each([
    ['a dashboard page', 'returnTo=%2Fruns%2F42', '/runs/42'],
    ['a page with a query and an encoded space', 'returnTo=%2F%3Fq%3D%25D0%25A1%25D0%259E%25D0%25A8%25205%26state%3Dfailed', '/?q=%D0%A1%D0%9E%D0%A8%205&state=failed'],
    ['no returnTo', 'x=1', '/'],
  ])('keeps %s', async (_name, query, location) => {
    const final = await signInFrom(query);
    expect(final.status).toBe(302);
    expect(final.headers.get('location')).toBe(location);
  });

  it.each([
    ['slash backslash, as typed', 'returnTo=/\\evil.example'],
    ['slash backslash, encoded', 'returnTo=%2F%5Cevil.example'],
    ['an encoded backslash', 'returnTo=%2F%255Cevil.example'],
    ['a double-encoded backslash', 'returnTo=%2F%25255Cevil.example'],
    ['tab then slash', 'returnTo=/%09/evil.example'],
    ['a new line', 'returnTo=/%0A'],
    ['CR LF and a header', 'returnTo=/%0D%0ASet-Cookie:%20x=1'],
    ['an encoded new line', 'returnTo=/%250A'],
    ['protocol-relative', 'returnTo=//evil.example'],
    ['backslash backslash', 'returnTo=%5C%5Cevil.example'],
    ['absolute URL', 'returnTo=https://evil.example/'],
    ['javascript:', 'returnTo=javascript:alert(1)'],
    ['fullwidth slash', 'returnTo=/%EF%BC%8Fevil.example'],
    ['encoded fullwidth slash', 'returnTo=/%25EF%25BC%258Fevil.example'],
    ['given twice', 'returnTo=/runs&returnTo=//evil.example'],
    ['very long', `returnTo=/${'a'.repeat(5000)}`],
  ])('sends %s home, not elsewhere and not a 500', async (_name, query) => {
    const final = await signInFrom(query);
    expect(final.status).toBe(302);
    expect(final.headers.get('location')).toBe('/');
  });

  it('a sign-in cookie carrying an unsafe return path (forged in the browser) is checked again at the callback', async () => {
    for (const stored of ['/\\evil.example', '/\n', '//evil.example']) {
      storedReturnTo = stored;
      try {
        const final = await signInFrom('returnTo=%2Fruns%2F42');
        expect(final.status).toBe(302);
        expect(final.headers.get('location')).toBe('/');
      } finally {
        storedReturnTo = undefined;
      }
    }
  });
});
