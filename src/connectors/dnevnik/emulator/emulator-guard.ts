import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { SeededRandom } from '../../demo-school';
import type { EmulatorFaults } from './emulator-options';
import type { EmulatorRequest, EmulatorState } from './emulator-state';
import { fail, htmlPage, loggedRequest, rememberRequest } from './emulator-http';

/** A token grant as the emulator keeps it. */
export interface TokenGrant {
  userId: string;
  scope: string;
  expiresAt: number;
  refreshToken: string;
}

export interface GuardOptions {
  state: EmulatorState;
  tokens: ReadonlyMap<string, TokenGrant>;
  faults: () => EmulatorFaults;
  rnd: SeededRandom;
  limit: { max: number; windowMs: number };
}

/** `Retry-After` as the platform writes it: whole seconds, or — when the emulator is set to fractions — milliseconds precision. */
function retryAfterHeader(ms: number, wholeSeconds: boolean): string {
  return wholeSeconds ? String(Math.max(1, Math.ceil(ms / 1000))) : String(Math.ceil(ms) / 1000);
}

/**
 * Every `/v2` call passes here first: it is logged, then faults are injected (latency, dropped
 * connections, requests never answered, 5xx, HTML pages, 429 bursts that throttle the token for
 * the wait they name), then the token, its scope and the per-token request limit are checked.
 * Also marks a write as landed-but-unanswered (`dropAfterWrite`).
 */
export function installGuard(app: FastifyInstance, o: GuardOptions): { dropAfterWrite: (req: FastifyRequest, reply: FastifyReply) => boolean } {
  const usage = new Map<string, number[]>();
  /** Token → end of its throttle window (performance.now() ms). */
  const throttledUntil = new Map<string, number>();
  const note = (req: FastifyRequest, patch: Partial<EmulatorRequest>) => {
    const entry = loggedRequest(req);
    if (entry) Object.assign(entry, patch);
  };
  const tooMany = (req: FastifyRequest, reply: FastifyReply, fault: EmulatorRequest['fault'], waitMs: number, wholeSeconds: boolean) => {
    const header = retryAfterHeader(waitMs, wholeSeconds);
    note(req, { fault, retryAfterMs: Number(header) * 1000 });
    reply.header('Retry-After', header);
    return fail(reply, 429, 'apiRequestLimit', 'Превышен лимит запросов для данного токена');
  };

  app.addHook('onResponse', async (req, reply) => note(req, { status: reply.statusCode }));
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (!req.url.startsWith('/v2/')) return;
    const token = String(req.headers['access-token'] ?? (req.query as Record<string, string>).access_token ?? '');
    rememberRequest(req, o.state.logRequest(req.method, req.url.replace(/\?.*$/, ''), token));
    if (req.url.startsWith('/v2/authorizations')) return;
    const faults = o.faults();
    if (faults.latencyMs) await new Promise((r) => setTimeout(r, faults.latencyMs));
    const now = performance.now();
    const until = throttledUntil.get(token);
    const retryAfterSeconds = faults.retryAfterSeconds ?? 1;
    if (until !== undefined && now < until) return tooMany(req, reply, 'throttled', until - now, Number.isInteger(retryAfterSeconds));
    if (faults.dropRate && o.rnd.chance(faults.dropRate)) {
      note(req, { fault: 'drop' });
      req.raw.socket.destroy();
      return reply.hijack();
    }
    if (faults.timeoutRate && o.rnd.chance(faults.timeoutRate)) {
      note(req, { fault: 'timeout' });
      reply.hijack();
      setTimeout(() => req.raw.socket.destroy(), 60_000).unref();
      return;
    }
    if (faults.htmlErrorRate && o.rnd.chance(faults.htmlErrorRate)) {
      note(req, { fault: 'html_error' });
      return htmlPage(reply, 503, 'Сайт временно недоступен. Ведутся технические работы.');
    }
    if (faults.serverErrorRate && o.rnd.chance(faults.serverErrorRate)) {
      note(req, { fault: 'server_error' });
      return fail(reply, 500, 'apiServerError', 'Внутренняя ошибка сервера');
    }
    if (faults.burst429Rate && o.rnd.chance(faults.burst429Rate)) {
      throttledUntil.set(token, now + retryAfterSeconds * 1000);
      return tooMany(req, reply, 'burst_429', retryAfterSeconds * 1000, Number.isInteger(retryAfterSeconds));
    }
    if (!token) return fail(reply, 401, 'tokenRequired', 'Требуется токен доступа');
    const grant = o.tokens.get(token);
    if (!grant || grant.expiresAt < Date.now()) return fail(reply, 401, 'invalidToken', 'Токен недействителен или истёк');
    if (!grant.scope.split(/[,\s]+/).includes('EducationalInfo') && !req.url.startsWith('/v2/users/me')) return fail(reply, 403, 'authorizationOutOfScope', 'Токен содержит недостаточно прав доступа');
    const used = (usage.get(token) ?? []).filter((t) => t > now - o.limit.windowMs);
    if (used.length >= o.limit.max) return tooMany(req, reply, 'request_limit', used[0] + o.limit.windowMs - now, true);
    used.push(now);
    usage.set(token, used);
  });

  return {
    dropAfterWrite: (req, reply) => {
      const rate = o.faults().dropAfterWriteRate;
      if (!rate || !o.rnd.chance(rate)) return false;
      note(req, { fault: 'drop_after_write' });
      const write = o.state.writes.at(-1);
      if (write && write.requestSeq === loggedRequest(req)?.seq) write.answerLost = true;
      req.raw.socket.destroy();
      reply.hijack();
      return true;
    },
  };
}
