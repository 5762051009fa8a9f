import type { Logger } from '../config/logger';
import type { FastifyInstance } from 'fastify';
import type { Store } from '../store';
import type { EsiaSignInPort } from '../web/auth/esia-port';
import type { PrincipalResolver } from '../web/auth/principal-resolver';
import { recheckedSessions } from '../web/auth/rechecked-sessions';
import { SessionManager } from '../web/auth/sessions';
import { storePrincipals } from '../web/auth/store-principals';
import { storeSessions } from '../web/auth/store-sessions';
import { registerDashboard, type DashboardOptions } from '../web/dashboard';
import { DashboardBackend, type DashboardRuntime } from '../web/dashboard-backend';
import { buildWebServer } from '../web/server';
import { registerExportIntakeRoutes, type ExportIntakeOptions } from '../web/intake/export-intake-routes';
import { DEFAULT_INTAKE_MAX_BYTES } from '../config/intake-config';

export interface DashboardServerOptions extends DashboardOptions {
  runtime: DashboardRuntime & { ctx: { store: Store }; /** Request logs (ids and paths only), when given. */ logger?: Logger };
  esia: EsiaSignInPort;
  /** Send the session cookie over HTTPS only. */
  secureCookie: boolean;
  /** @defaultValue store-backed role assignments (with identity linking at sign-in) */
  principals?: PrincipalResolver;
  /** Quiet identity-linking warnings (tests). */
  logger?: { warn: (...args: unknown[]) => void };
  /** Proxies whose `X-Forwarded-*` headers are believed. @defaultValue false */
  trustProxy?: boolean | string | string[];
  /** Export uploads (`POST /api/links/{id}/exports`). @defaultValue `intake.maxBytes` 200 MiB */
  intake?: ExportIntakeOptions;
}

/**
 * The web server of `ejsync serve`: sessions in the store (roles re-read on every request),
 * ЕСИА sign-in, sign-in and sign-out audited, and the dashboard.
 */
export async function buildDashboardServer(o: DashboardServerOptions): Promise<{ app: FastifyInstance; backend: DashboardBackend }> {
  const store = o.runtime.ctx.store;
  const backend = new DashboardBackend(o.runtime);
  const app = await buildWebServer({
    sessions: new SessionManager(recheckedSessions(storeSessions(store), store.access), { secureCookie: o.secureCookie }),
    esia: o.esia,
    principals: o.principals ?? storePrincipals(store, o.logger ? { logger: o.logger } : {}),
    audit: (e) => store.audit.append({ actorOid: e.oid, actorName: e.displayName, action: e.action, objectType: 'session', details: e.details ?? {}, ...(e.schoolId ? { schoolId: e.schoolId } : {}) }),
    trustProxy: o.trustProxy,
    ...(o.runtime.logger ? { requestLogger: o.runtime.logger } : {}),
    routes: async (a) => {
      await registerDashboard(a, backend, { timeZone: o.timeZone, now: o.now, queueBoard: o.queueBoard });
      await registerExportIntakeRoutes(a, store, o.intake ?? { maxBytes: DEFAULT_INTAKE_MAX_BYTES });
    },
  });
  return { app, backend };
}
