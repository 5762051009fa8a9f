import type { Principal } from './roles';

/** A server-side session; the browser holds only its random id in an http-only cookie. */
export interface SessionRecord {
  /** SHA-256 of the cookie value: a stolen database does not give usable cookies. */
  idHash: string;
  /** Synchronizer token every state-changing request must echo. */
  csrfToken: string;
  /** Present once signed in. */
  principal?: Principal;
  /** ЕСИА `state` of a sign-in in progress, bound to this browser's session. */
  pendingState?: string;
  /** Where to go after sign-in. */
  returnTo?: string;
  createdAt: Date;
  expiresAt: Date;
}

/** Where sessions live (the store's `sessions` table; in memory for tests). */
export interface SessionStore {
  get(idHash: string): Promise<SessionRecord | null>;
  save(session: SessionRecord): Promise<void>;
  delete(idHash: string): Promise<void>;
}

export class InMemorySessionStore implements SessionStore {
  private readonly sessions = new Map<string, SessionRecord>();
  async get(idHash: string) {
    return this.sessions.get(idHash) ?? null;
  }
  async save(session: SessionRecord) {
    this.sessions.set(session.idHash, { ...session });
  }
  async delete(idHash: string) {
    this.sessions.delete(idHash);
  }
}
