import type { Logger } from '../config/logger';
import Fastify, { type FastifyInstance, type FastifyReply, type FastifyRequest } from 'fastify';
import cookie from '@fastify/cookie';
import formbody from '@fastify/formbody';
import helmet from '@fastify/helmet';
import { isEjsyncError } from '../model';
import type { EsiaSignInPort } from './auth/esia-port';
import type { PrincipalResolver } from './auth/principal-resolver';
import { readerHint } from './views/fix-advice';
import type { Principal } from './auth/roles';
import type { SessionRecord } from './auth/session-store';
import { returnPathOrHome } from './auth/safe-return-path';
import { sameToken, SessionManager } from './auth/sessions';
import { isDashboardError } from './dashboard-error';
import { esc, Html } from './pages/html';
import { messagePage } from './pages/layout';
import { EXPORT_INTAKE_PATH } from './intake/intake-path';

declare module 'fastify' {
  interface FastifyRequest {
    session: SessionRecord | null;
    principal: Principal | null;
  }
  interface FastifyInstance {
    /** Every route registered on the server (method and path), e.g. to check the API document against. */
    registeredRoutes: { method: string; url: string }[];
  }
}

export interface WebServerOptions {
  sessions: SessionManager;
  esia: EsiaSignInPort;
  principals: PrincipalResolver;
  /** Writes an audit row for sign-in and sign-out (who, when; the school of a person of one school) and for refused access. */
  audit?: (entry: { oid: string; displayName: string; action: string; details?: Record<string, unknown>; schoolId?: string }) => Promise<void>;
  /** Registers the application's pages and API on the authenticated app. */
  routes?: (app: FastifyInstance) => void | Promise<void>;
  /** @defaultValue false */
  logger?: boolean;
  /**
   * Logs every request (method, path without its query, status, time; never headers, cookies,
   * query strings or bodies — a sign-in callback's code rides in its query). @defaultValue none
   */
  requestLogger?: Logger;
  /**
   * Proxies whose `X-Forwarded-*` headers are believed (client address, protocol): their addresses
   * or networks (`10.0.0.0/8`), as Fastify's `trustProxy` takes them. Only when configured: an
   * untrusted header would let anyone claim any address in the logs.
   * @defaultValue false (headers ignored)
   */
  trustProxy?: boolean | string | string[];
}

/** The cookie that carries a sign-in started in this browser (ЕСИА `state`, where to go after): no session row until sign-in succeeds. */
export const SIGN_IN_COOKIE = 'ejsync_signin';
const SIGN_IN_COOKIE_PATH = '/auth/esia';
/** A sign-in must come back within this time. @defaultValue 15 minutes */
const SIGN_IN_MAX_AGE_S = 15 * 60;

/** Refused requests (403, 404, CSRF) of a signed-in person go to the audit trail; not the browser's own asset or icon requests. */
const NOT_AUDITED_PREFIXES = ['/assets/', '/favicon.ico', '/queues/static/'];

const PUBLIC_PATHS = new Set(['/auth/esia/login', '/auth/esia/callback', '/auth/signed-out', '/healthz']);
/** The app's own stylesheet and script hold no data: served before sign-in (the sign-in pages use them). */
const PUBLIC_PREFIXES = ['/assets/'];
const isPublic = (path: string) => PUBLIC_PATHS.has(path) || PUBLIC_PREFIXES.some((p) => path.startsWith(p)) || EXPORT_INTAKE_PATH.test(path);
const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);

function wantsJson(req: FastifyRequest): boolean {
  return req.url.startsWith('/api/') || (req.headers.accept ?? '').includes('application/json');
}

/** The sign-in this browser started (from its cookie), or null. */
function signInOf(cookie: string | undefined): { state: string; returnTo: string } | null {
  if (!cookie) return null;
  try {
    const v = JSON.parse(Buffer.from(cookie, 'base64url').toString('utf8')) as { state?: unknown; returnTo?: unknown };
    return typeof v.state === 'string' && v.state ? { state: v.state, returnTo: typeof v.returnTo === 'string' ? v.returnTo : '/' } : null;
  } catch {
    return null;
  }
}

/** A Russian page for errors (no stack traces, ever). `text` may hold trusted markup. */
export function errorPage(title: string, text: string): string {
  return messagePage(title, new Html(text));
}

/** What a request log line says of a request and its answer: ids and paths only. */
const REQUEST_LOG_SERIALIZERS = {
  req: (req: { method?: string; url?: string; id?: unknown }) => ({ method: req.method, path: (req.url ?? '').split('?')[0], reqId: req.id }),
  res: (reply: { statusCode?: number }) => ({ statusCode: reply.statusCode }),
};

/**
 * The HTTP server: security headers, sessions in an http-only cookie, ЕСИА sign-in bound to the
 * session's state, a signed-in check on every page and API call (pages redirect to sign-in, the
 * API answers 401), and CSRF protection on every state-changing request.
 */
export async function buildWebServer(options: WebServerOptions): Promise<FastifyInstance> {
  const app = (
    options.requestLogger
      ? Fastify({ loggerInstance: options.requestLogger.child({ component: 'web' }, { serializers: REQUEST_LOG_SERIALIZERS }), trustProxy: options.trustProxy ?? false })
      : Fastify({ logger: options.logger ?? false, trustProxy: options.trustProxy ?? false })
  ) as unknown as FastifyInstance;
  const { sessions } = options;
  const registeredRoutes: { method: string; url: string }[] = [];
  app.decorate('registeredRoutes', registeredRoutes);
  app.addHook('onRoute', (route) => {
    for (const method of [route.method].flat()) registeredRoutes.push({ method, url: route.url });
  });
  await app.register(cookie);
  await app.register(formbody);
  await app.register(helmet, {
    contentSecurityPolicy: {
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        formAction: ["'self'", 'http:', 'https:'],
        frameAncestors: ["'none'"],
      },
    },
    hsts: sessions.secureCookie,
  });
  app.decorateRequest('session', null);
  app.decorateRequest('principal', null);

  app.addHook('onRequest', async (req, reply) => {
    req.session = await sessions.load(req.cookies[sessions.cookieName]);
    req.principal = req.session?.principal ?? null;
    const path = req.url.split('?')[0];
    if (isPublic(path)) return;
    if (!req.principal) {
      if (wantsJson(req)) return reply.code(401).send({ error: 'unauthorized', message: 'Требуется вход через ЕСИА' });
      return reply.redirect(`/auth/esia/login?returnTo=${encodeURIComponent(req.url)}`, 302);
    }
    await sessions.touch(req.session!);
  });

  // Refused access is audited: who, what they asked for and the answer (ids only in the path).
  // Written before the answer leaves, so the row exists once the person sees the refusal.
  app.addHook('onSend', async (req, reply, payload) => {
    const p = req.principal;
    if (!p || !options.audit || (reply.statusCode !== 403 && reply.statusCode !== 404)) return payload;
    const path = req.url.split('?')[0];
    if (NOT_AUDITED_PREFIXES.some((x) => path.startsWith(x))) return payload;
    const csrf = reply.getHeader('x-refused') === 'csrf';
    await options.audit({ oid: p.oid, displayName: p.displayName, action: 'access.refused', details: { method: req.method, path: path.slice(0, 300), status: reply.statusCode, ...(csrf ? { csrf: true } : {}) } }).catch(() => undefined);
    return payload;
  });

  app.addHook('preHandler', async (req, reply) => {
    if (SAFE_METHODS.has(req.method) || isPublic(req.url.split('?')[0])) return;
    const sent = (req.headers['x-csrf-token'] as string | undefined) ?? ((req.body as Record<string, unknown> | undefined)?._csrf as string | undefined);
    if (!req.session || !sameToken(sent, req.session.csrfToken)) {
      reply.header('x-refused', 'csrf');
      if (wantsJson(req)) return reply.code(403).send({ error: 'csrf', message: 'Действие отклонено: нет или неверен токен защиты от подделки запроса (CSRF). Обновите страницу.' });
      return reply.code(403).type('text/html; charset=utf-8').send(errorPage('Действие отклонено', 'Нет или неверен токен защиты от подделки запроса. Обновите страницу и повторите.'));
    }
  });

  app.setErrorHandler(async (error: unknown, req: FastifyRequest, reply: FastifyReply) => {
    if (isDashboardError(error)) {
      // A hint for whoever runs ejsync (a command, a file) reads in the school's words to its staff.
      const hint = error.hint && readerHint(req.principal, error.code, error.hint);
      if (wantsJson(req)) return reply.code(error.status).send({ error: error.code, message: error.message, hint });
      return reply.code(error.status).type('text/html; charset=utf-8').send(messagePage(error.message, hint || 'Вернитесь на предыдущую страницу и обновите её.', req.principal));
    }
    const known = isEjsyncError(error);
    // Two people acting on one run at once: the loser is told the run has moved on.
    const status = known ? (error.code === 'store.invalid_transition' ? 409 : 400) : ((error as { statusCode?: number }).statusCode ?? 500);
    const message = known ? error.message : status < 500 ? 'Неверный запрос' : 'Внутренняя ошибка сервера';
    const hint = known ? readerHint(req.principal, error.code, error.hint) : undefined;
    if (wantsJson(req)) return reply.code(status).send({ error: known ? error.code : 'error', message, hint });
    return reply.code(status).type('text/html; charset=utf-8').send(messagePage(message, hint ?? 'Повторите действие позже.', req.principal));
  });

  app.get('/healthz', async () => ({ ok: true }));

  app.get('/auth/esia/login', async (req, reply) => {
    const { url, state } = await options.esia.authorizationUrl();
    // Only a path on this site (not `//host`, `/\host`, control characters …); anything else goes home.
    const safeReturn = returnPathOrHome((req.query as { returnTo?: unknown }).returnTo, req.log);
    // The state rides in an http-only cookie of this browser, so the callback must come to it;
    // a page hit makes no session row (only a finished sign-in does).
    reply.setCookie(SIGN_IN_COOKIE, Buffer.from(JSON.stringify({ state, returnTo: safeReturn })).toString('base64url'), {
      path: SIGN_IN_COOKIE_PATH,
      httpOnly: true,
      secure: sessions.secureCookie,
      sameSite: 'lax',
      maxAge: SIGN_IN_MAX_AGE_S,
    });
    return reply.redirect(url, 302);
  });

  app.get('/auth/esia/callback', async (req, reply) => {
    const started = signInOf(req.cookies[SIGN_IN_COOKIE]);
    reply.clearCookie(SIGN_IN_COOKIE, { path: SIGN_IN_COOKIE_PATH });
    if (!started) {
      return reply.code(400).type('text/html; charset=utf-8').send(errorPage('Вход не начат в этом браузере', 'Начните вход заново с главной страницы ejsync.'));
    }
    const callback = new URL(req.url, 'http://callback.local');
    let person;
    try {
      person = await options.esia.finishSignIn(callback, started.state);
    } catch (error) {
      const e = isEjsyncError(error) ? error : null;
      return reply.code(403).type('text/html; charset=utf-8').send(errorPage('Вход через ЕСИА не выполнен', e ? esc(`${e.message}. ${e.hint}`) : 'Повторите вход позже.'));
    }
    const principal = await options.principals.resolve(person);
    // Whatever session this browser had ends here: a new id at sign-in (no fixation).
    if (req.session) await sessions.destroy(req.session);
    if (!principal) {
      reply.clearCookie(sessions.cookieName, { path: '/' });
      return reply
        .code(403)
        .type('text/html; charset=utf-8')
        .send(errorPage('Нет доступа к ejsync', 'Ваша учётная запись ЕСИА не связана ни с одной школой и не имеет роли. Обратитесь к региональному оператору.'));
    }
    // Rotate the session id at sign-in (no fixation).
    const { cookie: value } = await sessions.create({ principal });
    reply.setCookie(sessions.cookieName, value, sessions.cookieOptions());
    await options.audit?.({ oid: principal.oid, displayName: principal.displayName, action: 'sign_in', details: { roles: principal.roles }, ...(principal.schoolIds.length === 1 ? { schoolId: principal.schoolIds[0] } : {}) });
    // Checked again: a session stored before the check was this strict may hold anything.
    return reply.redirect(returnPathOrHome(started.returnTo, req.log), 302);
  });

  app.post('/auth/logout', async (req, reply) => {
    if (req.session) await sessions.destroy(req.session);
    reply.clearCookie(sessions.cookieName, { path: '/' });
    if (req.principal) await options.audit?.({ oid: req.principal.oid, displayName: req.principal.displayName, action: 'sign_out' });
    return reply.redirect(options.esia.logoutUrl(), 302);
  });

  app.get('/auth/signed-out', async (_req, reply) =>
    reply.type('text/html; charset=utf-8').send(errorPage('Вы вышли из ejsync', 'Сеанс завершён в ejsync и в ЕСИА. <a href="/auth/esia/login">Войти снова</a>')),
  );

  app.get('/api/session', async (req) => ({ principal: req.principal, csrfToken: req.session?.csrfToken }));

  if (options.routes) await options.routes(app);
  return app;
}
