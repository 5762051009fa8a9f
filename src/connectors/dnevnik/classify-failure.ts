import type { ErrorCode } from '../../model';
import { parseWireJson } from './wire-json';

/** What came back from one failed request (any part may be missing). */
export interface FailedExchange {
  status?: number;
  contentType?: string;
  body?: string;
  /** Node/axios error code: `ECONNABORTED`, `ECONNRESET`, `ETIMEDOUT`, … */
  networkCode?: string;
  /** `Retry-After` header: seconds or an HTTP date. */
  retryAfter?: string;
  /** For `Retry-After` dates. @defaultValue `Date.now()` */
  nowMs?: number;
}

export interface FailureClass {
  code: ErrorCode;
  retryable: boolean;
  /** How long the platform asked to wait. */
  waitMs?: number;
  /** The token is bad: refresh once, then it is `dnevnik.reconnect_needed`. */
  auth?: boolean;
  /** The platform's own words (envelope `description` or HTML error text), trimmed. */
  detail?: string;
}

const ENVELOPE: Record<string, Omit<FailureClass, 'detail'>> = {
  apiRequestLimit: { code: 'dnevnik.rate_limited', retryable: true },
  requestLimit: { code: 'dnevnik.rate_limited', retryable: true },
  invalidToken: { code: 'dnevnik.reconnect_needed', retryable: false, auth: true },
  authorizationInvalidToken: { code: 'dnevnik.reconnect_needed', retryable: false, auth: true },
  tokenRequired: { code: 'dnevnik.reconnect_needed', retryable: false, auth: true },
  authorizationTokenRequired: { code: 'dnevnik.reconnect_needed', retryable: false, auth: true },
  authorizationFailed: { code: 'dnevnik.reconnect_needed', retryable: false, auth: true },
  authorizationOutOfScope: { code: 'dnevnik.out_of_scope', retryable: false },
  outOfScope: { code: 'dnevnik.out_of_scope', retryable: false },
  authorizationNotOwner: { code: 'dnevnik.forbidden', retryable: false },
  notOwner: { code: 'dnevnik.forbidden', retryable: false },
  authorizationOwnerForbidden: { code: 'dnevnik.forbidden', retryable: false },
  ownerForbidden: { code: 'dnevnik.forbidden', retryable: false },
  authorizationSystemForbidden: { code: 'dnevnik.forbidden', retryable: false },
  systemForbidden: { code: 'dnevnik.forbidden', retryable: false },
  parameterInvalid: { code: 'dnevnik.parameter_invalid', retryable: false },
  invalidRequest: { code: 'dnevnik.parameter_invalid', retryable: false },
  apiResourceUnavailable: { code: 'dnevnik.not_found', retryable: false },
  resourceUnavailable: { code: 'dnevnik.not_found', retryable: false },
  apiMethodNotSupported: { code: 'dnevnik.method_not_supported', retryable: false },
  methodNotSupported: { code: 'dnevnik.method_not_supported', retryable: false },
  apiServerError: { code: 'dnevnik.server_error', retryable: true },
  serverError: { code: 'dnevnik.server_error', retryable: true },
  apiUnknownError: { code: 'dnevnik.server_error', retryable: true },
  unknownError: { code: 'dnevnik.server_error', retryable: true },
  apiHttpsRequired: { code: 'dnevnik.https_required', retryable: false },
  httpsRequired: { code: 'dnevnik.https_required', retryable: false },
};

const TIMEOUTS = new Set(['ECONNABORTED', 'ETIMEDOUT', 'ESOCKETTIMEDOUT']);
const CONNECTION = new Set(['ECONNRESET', 'ECONNREFUSED', 'EPIPE', 'ENOTFOUND', 'EAI_AGAIN', 'EHOSTUNREACH', 'ENETUNREACH', 'ERR_SOCKET_CONNECTION_TIMEOUT', 'ERR_BAD_RESPONSE']);
/** Statuses the platform uses for throttling (433 is its own). */
const THROTTLE = new Set([429, 433]);
/** HTML pages with these statuses are the "технические работы" page. */
const MAINTENANCE = new Set([405, 502, 503, 504, 550]);

/** `Retry-After: 7` or an HTTP date → milliseconds. */
export function retryAfterMs(header: string | undefined, nowMs = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+(\.\d+)?$/.test(header.trim())) return Math.round(Number(header) * 1000);
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - nowMs);
}

function envelopeOf(body: string | undefined): { type: string; description?: string } | null {
  if (!body) return null;
  try {
    const parsed = parseWireJson(body);
    if (parsed && typeof parsed === 'object' && typeof (parsed as { type?: unknown }).type === 'string') return parsed as { type: string; description?: string };
  } catch {
    /* not JSON */
  }
  return null;
}

/** The text of `<div class="error__description">` of the platform's HTML error page. */
function htmlErrorText(body: string | undefined): string | undefined {
  const m = /class="error__description"[^>]*>([\s\S]*?)<\/div>/i.exec(body ?? '');
  return m ? m[1].replace(/<[^>]+>/g, ' ').replace(/\s+/g, ' ').trim().slice(0, 300) : undefined;
}

/**
 * The one place that decides what a failed Дневник.ру request means: catalogue code, whether a
 * retry can help, how long to wait, and whether the token must be refreshed. Pure; the table of
 * cases is tested in test/unit/dnevnik/classify-failure.test.ts.
 */
export function classifyFailure(x: FailedExchange): FailureClass {
  const wait = retryAfterMs(x.retryAfter, x.nowMs);
  const withWait = (c: FailureClass): FailureClass => (wait !== undefined && c.retryable ? { ...c, waitMs: wait } : c);
  if (x.status === undefined) {
    if (x.networkCode && TIMEOUTS.has(x.networkCode)) return { code: 'dnevnik.timeout', retryable: true };
    return { code: 'dnevnik.connection_failed', retryable: true, detail: x.networkCode };
  }
  const isHtml = /text\/html/i.test(x.contentType ?? '') || /^\s*<(!doctype|html)/i.test(x.body ?? '');
  if (isHtml) {
    const detail = htmlErrorText(x.body);
    if (THROTTLE.has(x.status)) return withWait({ code: 'dnevnik.rate_limited', retryable: true, detail });
    if (MAINTENANCE.has(x.status)) return withWait({ code: 'dnevnik.maintenance', retryable: true, detail });
    if (x.status >= 500) return withWait({ code: 'dnevnik.server_error', retryable: true, detail });
    if (x.status === 401) return { code: 'dnevnik.reconnect_needed', retryable: false, auth: true, detail };
    return { code: 'dnevnik.unexpected_response', retryable: false, detail: detail ?? `HTTP ${x.status}, HTML` };
  }
  const envelope = envelopeOf(x.body);
  if (envelope && ENVELOPE[envelope.type]) return withWait({ ...ENVELOPE[envelope.type], detail: envelope.description });
  const detail = envelope ? `${envelope.type}: ${envelope.description ?? ''}`.trim() : undefined;
  if (THROTTLE.has(x.status)) return withWait({ code: 'dnevnik.rate_limited', retryable: true, detail });
  if (x.status === 401) return { code: 'dnevnik.reconnect_needed', retryable: false, auth: true, detail };
  if (x.status === 403) return { code: 'dnevnik.forbidden', retryable: false, detail };
  if (x.status === 404) return { code: 'dnevnik.not_found', retryable: false, detail };
  if (x.status === 405) return { code: 'dnevnik.method_not_supported', retryable: false, detail };
  if (x.status === 400 || x.status === 422) return { code: 'dnevnik.parameter_invalid', retryable: false, detail };
  if (x.status >= 500) return withWait({ code: 'dnevnik.server_error', retryable: true, detail });
  return { code: 'dnevnik.unexpected_response', retryable: false, detail: detail ?? `HTTP ${x.status}` };
}
