import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { SessionRecord, SessionStore } from './session-store';

export interface SessionOptions {
  /** Idle lifetime of a session. @defaultValue 8 hours (a school working day) */
  ttlMs?: number;
  /** Longest a session lives however active it is: then the person signs in again. @defaultValue 12 hours */
  absoluteTtlMs?: number;
  /** Send the cookie only over HTTPS. @defaultValue true (false only for loopback demos) */
  secureCookie?: boolean;
  /** @defaultValue `ejsync_session` */
  cookieName?: string;
}

export const DEFAULT_SESSION_TTL_MS = 8 * 3600_000;
export const DEFAULT_SESSION_ABSOLUTE_TTL_MS = 12 * 3600_000;

export function hashSessionId(id: string): string {
  return createHash('sha256').update(id).digest('hex');
}

export function newToken(): string {
  return randomBytes(32).toString('base64url');
}

/** Constant-time comparison of two tokens. */
export function sameToken(a: string | undefined, b: string | undefined): boolean {
  if (!a || !b) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** Sessions over a store: create, load (expired → gone), rotate on sign-in, destroy. */
export class SessionManager {
  readonly cookieName: string;
  readonly ttlMs: number;
  readonly absoluteTtlMs: number;
  readonly secureCookie: boolean;

  constructor(
    private readonly store: SessionStore,
    options: SessionOptions = {},
    private readonly now: () => Date = () => new Date(),
  ) {
    this.cookieName = options.cookieName ?? 'ejsync_session';
    this.ttlMs = options.ttlMs ?? DEFAULT_SESSION_TTL_MS;
    this.absoluteTtlMs = options.absoluteTtlMs ?? DEFAULT_SESSION_ABSOLUTE_TTL_MS;
    this.secureCookie = options.secureCookie ?? true;
  }

  /** A fresh session; returns the cookie value (never stored) and the record. */
  async create(fields: Partial<SessionRecord> = {}): Promise<{ cookie: string; session: SessionRecord }> {
    const cookie = newToken();
    const at = this.now();
    const session: SessionRecord = {
      idHash: hashSessionId(cookie),
      csrfToken: newToken(),
      createdAt: at,
      expiresAt: new Date(at.getTime() + this.ttlMs),
      ...fields,
    };
    await this.store.save(session);
    return { cookie, session };
  }

  async load(cookie: string | undefined): Promise<SessionRecord | null> {
    if (!cookie) return null;
    const idHash = hashSessionId(cookie);
    const session = await this.store.get(idHash);
    if (!session) return null;
    const now = this.now().getTime();
    if (session.expiresAt.getTime() <= now || session.createdAt.getTime() + this.absoluteTtlMs <= now) {
      await this.store.delete(idHash);
      return null;
    }
    return session;
  }

  /** Extends an active session (sliding expiry), never past its absolute lifetime. */
  async touch(session: SessionRecord): Promise<void> {
    session.expiresAt = new Date(Math.min(this.now().getTime() + this.ttlMs, session.createdAt.getTime() + this.absoluteTtlMs));
    await this.store.save(session);
  }

  async save(session: SessionRecord): Promise<void> {
    await this.store.save(session);
  }

  async destroy(session: SessionRecord): Promise<void> {
    await this.store.delete(session.idHash);
  }

  cookieOptions() {
    return { path: '/', httpOnly: true, secure: this.secureCookie, sameSite: 'lax' as const, maxAge: Math.floor(this.ttlMs / 1000) };
  }
}
