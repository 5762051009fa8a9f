import { buildDashboardServer } from '../../src/cli/dashboard-server';
import type { Role } from '../../src/web/auth/roles';
import { hashSessionId, newToken } from '../../src/web/auth/sessions';
import { storeSessions } from '../../src/web/auth/store-sessions';
import type { startSchoolWorld } from './school-world';

type World = Awaited<ReturnType<typeof startSchoolWorld>>;

/**
 * The dashboard as `ejsync serve` builds it, over a school world's pipeline; people sign in by a
 * session made straight in the store (their roles are assigned in the store, as the roles file does).
 */
export async function worldDashboard(world: World, o: { now?: () => Date } = {}) {
  const { app, backend } = await buildDashboardServer({ runtime: world.runtime, esia: { authorizationUrl: async () => ({ url: 'http://esia.invalid/', state: 's' }), finishSignIn: async () => Promise.reject(new Error('not used')), logoutUrl: () => '/' }, secureCookie: false, queueBoard: false, now: o.now, logger: { warn: () => undefined } });
  const store = world.store;
  return {
    app,
    backend,
    async signIn(oid: string, displayName: string, role: Role, schoolId: string | null) {
      await store.access.assign(oid, role, schoolId, 'test');
      const cookie = newToken();
      const csrfToken = newToken();
      const at = new Date();
      await storeSessions(store).save({ idHash: hashSessionId(cookie), csrfToken, principal: { oid, displayName, roles: [role], schoolIds: schoolId ? [schoolId] : [] }, createdAt: at, expiresAt: new Date(at.getTime() + 3600_000) });
      return { headers: { cookie: `ejsync_session=${cookie}` }, csrf: csrfToken };
    },
  };
}
