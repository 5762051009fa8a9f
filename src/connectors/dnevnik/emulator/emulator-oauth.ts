import axios from 'axios';
import type { FastifyInstance, FastifyReply } from 'fastify';
import { randomBytes } from 'node:crypto';
import { fail, htmlPage } from './emulator-http';

/** A pending "allow access?" question of the consent page. */
interface ConsentRequest {
  clientId: string;
  scope: string;
  redirectUri: string;
  state?: string;
}

/** What the OAuth part of the emulator needs of the rest. */
export interface OAuthContext {
  clientId: string;
  clientSecret: string;
  /** Registered redirect addresses; `loopback`: any `http://127.0.0.1` / `http://localhost` address (a native app's). */
  redirectUris: readonly string[] | 'loopback';
  grantedScope: string;
  /** Issues a token pair for `scope`. */
  issue(scope: string): { accessToken: string; refreshToken: string; expiresIn: number };
  /** The pair a refresh token belongs to, rotated: the old pair stops working. Null when unknown. */
  rotate(refreshToken: string): { accessToken: string; refreshToken: string; expiresIn: number; scope: string } | null;
  /** The token answer as the platform sends it. */
  answer(reply: FastifyReply, token: { accessToken: string; refreshToken: string; expiresIn: number }, scope: string): FastifyReply;
}

const escape = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function registered(redirectUri: string | undefined, allowed: OAuthContext['redirectUris']): boolean {
  if (!redirectUri) return false;
  if (allowed !== 'loopback') return allowed.includes(redirectUri);
  try {
    const u = new URL(redirectUri);
    return u.protocol === 'http:' && (u.hostname === '127.0.0.1' || u.hostname === 'localhost');
  } catch {
    return false;
  }
}

/**
 * The login host's OAuth: `GET /oauth2` checks the app and its registered `redirect_uri` (an
 * unknown one is an error page — nobody is sent there) and asks the person to allow access (the
 * consent page, as the platform's `…/oauth2/Authorization/Result?…&is_granted=…` shows there is
 * one); `POST /oauth2/consent` sends them back with a `code` or `error=access_denied`.
 * `POST /v2/authorizations` exchanges a code or a refresh token. A refresh is accepted in the
 * shape of the published clients — JSON `{client_id, client_secret, grant_type: "RefreshToken",
 * refreshToken}` (the Swagger example body of `Authorizations_PostTokenRequestCode`, the mobile
 * client's `RefreshTokenRequest`) — and also as a form with HTTP Basic client credentials (the shape
 * one unnamed client's fake uses); errors are the platform's `{type, description}` envelope.
 */
export function registerOAuth(app: FastifyInstance, o: OAuthContext): void {
  const pending = new Map<string, ConsentRequest>();
  const codes = new Map<string, string>();

  app.get('/oauth2', async (req, reply) => {
    const q = req.query as Record<string, string | undefined>;
    if (q.client_id !== o.clientId) return htmlPage(reply, 400, 'Неизвестное приложение (client_id)');
    if (!registered(q.redirect_uri, o.redirectUris)) return htmlPage(reply, 400, 'Адрес перенаправления (redirect_uri) не зарегистрирован для этого приложения');
    const redirectUri = q.redirect_uri!;
    if (q.response_type !== 'code') {
      const to = new URL(redirectUri);
      to.searchParams.set('error', 'unsupported_response_type');
      if (q.state) to.searchParams.set('state', q.state);
      return reply.redirect(to.toString());
    }
    const id = randomBytes(12).toString('hex');
    const scope = q.scope ?? o.grantedScope;
    pending.set(id, { clientId: q.client_id, scope, redirectUri, ...(q.state ? { state: q.state } : {}) });
    const scopes = scope.split(/[,\s]+/).filter(Boolean).map((s) => `<li>${escape(s)}</li>`).join('');
    return reply
      .code(200)
      .type('text/html; charset=utf-8')
      .send(
        `<!DOCTYPE html><html lang="ru"><head><meta charset="utf-8"><title>Дневник.ру — разрешение доступа (эмулятор)</title></head><body>` +
          `<h1>Приложение «${escape(o.clientId)}» запрашивает доступ</h1><p>Права:</p><ul>${scopes}</ul><p>После разрешения вы вернётесь на ${escape(redirectUri)}.</p>` +
          `<form method="post" action="/oauth2/consent"><input type="hidden" name="request" value="${id}">` +
          `<button type="submit" name="decision" value="allow">Разрешить</button> <button type="submit" name="decision" value="deny">Отказать</button></form></body></html>`,
      );
  });

  app.post('/oauth2/consent', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, string | undefined>;
    const asked = pending.get(body.request ?? '');
    if (!asked) return htmlPage(reply, 400, 'Запрос доступа не найден или уже обработан — начните вход заново');
    pending.delete(body.request!);
    const to = new URL(asked.redirectUri);
    if (body.decision === 'allow') {
      const code = randomBytes(12).toString('hex');
      codes.set(code, asked.scope);
      to.searchParams.set('code', code);
    } else to.searchParams.set('error', 'access_denied');
    if (asked.state) to.searchParams.set('state', asked.state);
    return reply.redirect(to.toString());
  });

  app.post('/v2/authorizations', async (req, reply) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const text = (k: string) => (typeof body[k] === 'string' ? (body[k] as string) : undefined);
    const grant = (text('grant_type') ?? '').toLowerCase();
    if (grant === 'refreshtoken') {
      const basic = Buffer.from(String(req.headers.authorization ?? '').replace(/^Basic /, ''), 'base64').toString();
      const [basicId, basicSecret] = basic.includes(':') ? [basic.slice(0, basic.indexOf(':')), basic.slice(basic.indexOf(':') + 1)] : [undefined, undefined];
      if ((text('client_id') ?? basicId) !== o.clientId || (text('client_secret') ?? basicSecret) !== o.clientSecret) return fail(reply, 403, 'invalid_client', 'Invalid client');
      const rotated = o.rotate(text('refreshToken') ?? text('RefreshToken') ?? '');
      if (!rotated) return fail(reply, 401, 'authorizationFailed', 'Недействительный refresh token');
      return o.answer(reply, rotated, rotated.scope);
    }
    if (grant !== 'authorizationcode' && grant !== '') return fail(reply, 400, 'invalidRequest', `Неизвестный grant_type «${text('grant_type')}»`);
    if (text('client_id') !== o.clientId || text('client_secret') !== o.clientSecret) return fail(reply, 403, 'invalid_client', 'Invalid client');
    const scope = codes.get(text('code') ?? '');
    if (!scope) return fail(reply, 400, 'invalidRequest', 'Код авторизации недействителен');
    codes.delete(text('code')!);
    return o.answer(reply, o.issue(scope), scope);
  });
}

/**
 * A person's answer on the emulator's consent page, as a browser gives it: opens the authorize
 * address, presses «Разрешить» (or «Отказать») and returns where the person is sent back to (the
 * redirect address with `code` or `error`). For the demo, tests and rehearsal scripts.
 */
export async function consentAs(authorizeUrl: string, decision: 'allow' | 'deny' = 'allow'): Promise<string> {
  const page = await axios.get<string>(authorizeUrl, { responseType: 'text', maxRedirects: 0, validateStatus: () => true });
  if (page.status === 302) return String(page.headers.location);
  const request = /name="request" value="([0-9a-f]+)"/.exec(page.data)?.[1];
  if (page.status !== 200 || !request) throw new Error(`эмулятор не показал страницу разрешения доступа (HTTP ${page.status})`);
  const answer = await axios.post(new URL('/oauth2/consent', authorizeUrl).toString(), new URLSearchParams({ request, decision }).toString(), {
    headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    maxRedirects: 0,
    validateStatus: (s) => s === 302,
  });
  return String(answer.headers.location);
}
