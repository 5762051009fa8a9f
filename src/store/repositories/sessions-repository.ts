import type { Kysely } from 'kysely';
import type { Database } from '../schema';

/** The web's sessions (shape owned by the web's SessionStore interface). */
export interface StoredSession {
  idHash: string;
  csrfToken: string;
  principal?: unknown;
  pendingState?: string;
  returnTo?: string;
  createdAt: Date;
  expiresAt: Date;
}

export class SessionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(idHash: string): Promise<StoredSession | null> {
    const r = await this.db.selectFrom('sessions').selectAll().where('id_hash', '=', idHash).executeTakeFirst();
    if (!r) return null;
    return {
      idHash: r.id_hash,
      csrfToken: r.csrf_token,
      ...(r.principal ? { principal: r.principal } : {}),
      ...(r.pending_state ? { pendingState: r.pending_state } : {}),
      ...(r.return_to ? { returnTo: r.return_to } : {}),
      createdAt: new Date(r.created_at),
      expiresAt: new Date(r.expires_at),
    };
  }

  async save(s: StoredSession): Promise<void> {
    const values = {
      id_hash: s.idHash,
      csrf_token: s.csrfToken,
      principal: s.principal ? JSON.stringify(s.principal) : null,
      pending_state: s.pendingState ?? null,
      return_to: s.returnTo ?? null,
      created_at: s.createdAt,
      expires_at: s.expiresAt,
    };
    await this.db
      .insertInto('sessions')
      .values(values)
      .onConflict((oc) => oc.column('id_hash').doUpdateSet({ csrf_token: values.csrf_token, principal: values.principal, pending_state: values.pending_state, return_to: values.return_to, expires_at: values.expires_at }))
      .execute();
  }

  async delete(idHash: string): Promise<void> {
    await this.db.deleteFrom('sessions').where('id_hash', '=', idHash).execute();
  }

  async deleteExpired(now = new Date()): Promise<number> {
    const r = await this.db.deleteFrom('sessions').where('expires_at', '<', now).executeTakeFirst();
    return Number(r.numDeletedRows);
  }
}
