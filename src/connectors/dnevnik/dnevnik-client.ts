import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { z } from 'zod';
import { DEFAULT_THROTTLE_WAIT_MS, EjsyncError } from '../../model';
import { checkShape } from './check-shape';
import { classifyFailure, type FailureClass } from './classify-failure';
import { RequestThrottle, type RequestGate } from './request-throttle';
import { parseWireJson, stringifyWireJson } from './wire-json';

/** Where the client gets its token, and how it gets a fresh one after `invalidToken`. */
export interface AccessTokenSource {
  accessToken(): Promise<string>;
  /** Refreshes (rotating the refresh token) unless someone already did; returns the new access token. */
  refresh(rejected: string): Promise<string>;
}

/** Options of {@link DnevnikClient}. */
export interface DnevnikClientOptions {
  /** `https://api.dnevnik.ru/v2` or the emulator's `http://127.0.0.1:PORT/v2`. */
  baseUrl: string;
  tokens: AccessTokenSource;
  /** @defaultValue 20000 */
  timeoutMs?: number;
  /** Requests per window from this process. @defaultValue 5 per 1000 ms */
  rateLimit?: { max: number; durationMs: number };
  /** Where every request waits for its turn (one shared by all processes). @defaultValue a {@link RequestThrottle} of this process over `rateLimit` */
  gate?: RequestGate;
  /** Attempts of an idempotent read on transient failures (writes are retried by the queue). @defaultValue 4 */
  readAttempts?: number;
  /** Backoff of read retries when the platform names no wait: `baseMs·2^attempt`, capped, with jitter. @defaultValue 250 / 8000 ms */
  readBackoff?: { baseMs: number; maxMs: number };
  /** Called after each request (method, path without query, status, ms) — for the delivery log and metrics. */
  onRequest?: (info: { method: string; path: string; status: number | null; ms: number }) => void;
}

/**
 * The header with which ejsync's own emulator announces itself on every answer. The live platform
 * never sends it; whether a run talked to an emulator is decided by it, not by configuration.
 */
export const EMULATOR_HEADER = 'x-ejsync-emulator';

/** A body sent as it is: id arrays must carry 64-bit ids as exact JSON numbers. */
export class RawJson {
  constructor(readonly text: string) {}
}

/** `["1000…1", "1000…2"]` → the JSON text `[1000…1,1000…2]` (ids are digit strings). */
export function int64Array(ids: readonly string[]): RawJson {
  for (const id of ids) if (!/^\d{1,20}$/.test(id)) throw new RangeError(`not an int64 id: ${id}`);
  return new RawJson(`[${ids.join(',')}]`);
}

/** One request as the log may show it: method and path, never the token or a body. */
export interface RequestInfo {
  method: string;
  path: string;
}

/** Query parameters of a read. */
export type Query = Record<string, string | number | boolean | string[] | undefined>;

/**
 * Дневник.ру REST v2 over axios: `Access-Token` header, JSON bodies read as text so that the
 * content type is checked before parsing (HTML error pages), parsed losslessly (64-bit ids keep
 * every digit) and checked against the answer's zod schema (`dnevnik.unexpected_shape`); bodies
 * are sent with exact 64-bit ids (`stringifyWireJson`); every failure classified into the
 * catalogue. On `invalidToken` it refreshes once and repeats; a second refusal is
 * `dnevnik.reconnect_needed`. Reads retry transient failures with backoff; writes never retry
 * here (the queue decides, after `findExisting`). A rate limit with a named wait (`Retry-After`)
 * holds every later request of this client until the wait is over.
 */
export class DnevnikClient {
  private readonly http: AxiosInstance;
  private readonly throttle: RequestGate;
  private readonly readAttempts: number;
  private readonly readBackoff: { baseMs: number; maxMs: number };
  private emulatorAnswered = false;

  constructor(private readonly options: DnevnikClientOptions) {
    this.http = axios.create({
      baseURL: options.baseUrl.replace(/\/+$/, ''),
      timeout: options.timeoutMs ?? 20_000,
      responseType: 'text',
      transformResponse: (data) => data,
      validateStatus: () => true,
      headers: { Accept: 'application/json' },
    });
    const limit = options.rateLimit ?? { max: 5, durationMs: 1000 };
    this.throttle = options.gate ?? new RequestThrottle(limit.max, limit.durationMs);
    this.readAttempts = options.readAttempts ?? 4;
    this.readBackoff = options.readBackoff ?? { baseMs: 250, maxMs: 8000 };
  }

  /** Whether the server's last answer announced an emulator ({@link EMULATOR_HEADER}); false before any answer. */
  get answeredByEmulator(): boolean {
    return this.emulatorAnswered;
  }

  /** A read, its answer checked against `schema`. */
  async get<S extends z.ZodType>(path: string, schema: S, query?: Query): Promise<z.output<S>> {
    return checkShape(schema, await this.read('GET', path, query), { method: 'GET', path });
  }

  /** 0 when this token's requests may go; while a 429's wait runs, how long a queued delivery should step aside (see {@link RequestGate.stepAsideMs}). */
  stepAsideMs(): Promise<number> {
    return this.throttle.stepAsideMs();
  }

  /** A POST that only reads (batch reads such as `POST edu-groups`), its answer checked against `schema`. */
  async readByPost<S extends z.ZodType>(path: string, body: unknown, schema: S): Promise<z.output<S>> {
    return checkShape(schema, await this.read('POST', path, undefined, body), { method: 'POST', path });
  }

  /** A create; with `schema`, the answer is checked (and an empty answer is a shape error). */
  post<S extends z.ZodType>(path: string, body: unknown, schema?: S): Promise<z.output<S>> {
    return this.write('POST', path, body, schema);
  }

  put<S extends z.ZodType>(path: string, body: unknown, schema?: S): Promise<z.output<S>> {
    return this.write('PUT', path, body, schema);
  }

  /** A write with a method chosen by configuration (mark endpoints). Without `schema` the answer is not read. */
  async write<S extends z.ZodType>(method: 'POST' | 'PUT' | 'PATCH', path: string, body: unknown, schema?: S): Promise<z.output<S>> {
    const answer = await this.send(method, path, undefined, body);
    return schema ? checkShape(schema, answer, { method, path }) : (answer as z.output<S>);
  }

  delete(path: string, query?: Record<string, string>): Promise<void> {
    return this.send('DELETE', path, query).then(() => undefined);
  }

  private async read(method: string, path: string, query?: Record<string, unknown>, body?: unknown): Promise<unknown> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.send(method, path, query, body);
      } catch (error) {
        if (!(error instanceof EjsyncError) || !error.retryable || attempt >= this.readAttempts) throw error;
        const backoff = error.waitMs ?? Math.min(this.readBackoff.maxMs, this.readBackoff.baseMs * 2 ** attempt) * (0.5 + Math.random() / 2);
        await new Promise((r) => setTimeout(r, backoff));
      }
    }
  }

  /** One request; the answer parsed losslessly (`undefined` for DELETE, 204 and an empty body). */
  private async send(method: string, path: string, query?: Record<string, unknown>, body?: unknown, refreshed = false): Promise<unknown> {
    const token = await this.options.tokens.accessToken();
    await this.throttle.acquire();
    const started = Date.now();
    let response: AxiosResponse<string>;
    try {
      response = await this.http.request<string>({
        method,
        url: path,
        params: query,
        paramsSerializer: { indexes: null },
        data: body === undefined ? undefined : body instanceof RawJson ? body.text : stringifyWireJson(body),
        headers: { 'Access-Token': token, ...(body === undefined ? {} : { 'Content-Type': 'application/json' }) },
      });
    } catch (cause) {
      this.options.onRequest?.({ method, path, status: null, ms: Date.now() - started });
      const code = (cause as { code?: string }).code;
      throw toError(classifyFailure({ networkCode: code }), cause, { method, path });
    }
    this.options.onRequest?.({ method, path, status: response.status, ms: Date.now() - started });
    this.emulatorAnswered = String(response.headers[EMULATOR_HEADER] ?? '') === '1';
    const contentType = String(response.headers['content-type'] ?? '');
    if (response.status >= 200 && response.status < 300) {
      if (method === 'DELETE' || response.status === 204 || !response.data) return undefined;
      if (!/json/i.test(contentType)) throw toError({ code: 'dnevnik.unexpected_response', retryable: false, detail: `ожидался JSON, получено ${contentType || 'без типа'}` }, undefined, { method, path }, response.status);
      try {
        return parseWireJson(response.data);
      } catch (cause) {
        throw toError({ code: 'dnevnik.unexpected_response', retryable: false, detail: 'JSON не читается' }, cause, { method, path }, response.status);
      }
    }
    let failure = classifyFailure({ status: response.status, contentType, body: response.data, retryAfter: response.headers['retry-after'] as string | undefined });
    // The limit is per token: nothing else of this token goes before the wait ends — the one the
    // platform named, or a default one when it named none (else the other requests run into 429s).
    if (failure.code === 'dnevnik.rate_limited') {
      failure = { ...failure, waitMs: failure.waitMs ?? DEFAULT_THROTTLE_WAIT_MS };
      this.throttle.pauseFor(failure.waitMs!);
    }
    if (failure.auth && !refreshed) {
      await this.options.tokens.refresh(token);
      return this.send(method, path, query, body, true);
    }
    throw toError(failure, undefined, { method, path }, response.status);
  }
}

function toError(failure: FailureClass, cause: unknown, request: RequestInfo, status?: number): EjsyncError {
  const detail = [`${request.method} ${request.path.replace(/\?.*$/, '')}`, failure.detail].filter(Boolean).join(' — ');
  return new EjsyncError(failure.code, { cause, detail, retryable: failure.retryable, ...(failure.waitMs !== undefined ? { waitMs: failure.waitMs } : {}), ...(status !== undefined ? { status } : {}) });
}
