import type { Store } from '../../store';
import type { Principal } from './roles';
import type { SessionRecord, SessionStore } from './session-store';

/** Sessions kept in the store's `sessions` table (shared by every web process). */
export function storeSessions(store: Store): SessionStore {
  return {
    async get(idHash) {
      const s = await store.sessions.get(idHash);
      if (!s) return null;
      const record: SessionRecord = { idHash: s.idHash, csrfToken: s.csrfToken, createdAt: s.createdAt, expiresAt: s.expiresAt };
      if (s.principal) record.principal = s.principal as Principal;
      if (s.pendingState) record.pendingState = s.pendingState;
      if (s.returnTo) record.returnTo = s.returnTo;
      return record;
    },
    save: (s) => store.sessions.save(s),
    delete: (idHash) => store.sessions.delete(idHash),
  };
}
