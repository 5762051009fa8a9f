import { principalRoles } from './principal-roles';
import type { SessionStore } from './session-store';

/** Where current role assignments come from (`store.access`). */
export interface RoleSource {
  rolesOf(oid: string): Promise<{ role: string; schoolId: string | null }[]>;
}

/**
 * Sessions whose roles are re-read on every request: the principal a session carries gets the
 * roles and schools of the person's current assignments, so an operator's change (or a change
 * of the roles file) takes effect at the next request, not at the next sign-in. A person left
 * with no assignment loses the session (pages send them to sign-in, the API answers 401).
 */
export function recheckedSessions(inner: SessionStore, roles: RoleSource): SessionStore {
  return {
    async get(idHash) {
      const session = await inner.get(idHash);
      if (!session?.principal) return session;
      const assignments = await roles.rolesOf(session.principal.oid);
      if (!assignments.length) {
        await inner.delete(idHash);
        return null;
      }
      return { ...session, principal: { ...session.principal, ...principalRoles(assignments) } };
    },
    save: (session) => inner.save(session),
    delete: (idHash) => inner.delete(idHash),
  };
}
