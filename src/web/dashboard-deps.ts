import type { FastifyRequest } from 'fastify';
import type { Actor } from '../store';
import type { Principal } from './auth/roles';
import type { DashboardBackend } from './dashboard-backend';

/** What the dashboard's routes share. */
export interface DashboardDeps {
  backend: DashboardBackend;
  /** Zone of every date shown. @defaultValue `Asia/Yekaterinburg` */
  timeZone: string;
  /** Clock of the chart. @defaultValue `() => new Date()` */
  now: () => Date;
}

/** The signed-in person (the server's hook has refused everyone else before any route runs). */
export function principalOf(req: FastifyRequest): Principal {
  if (!req.principal) throw new Error('route reached without a signed-in person');
  return req.principal;
}

/** Who acts, for the audit trail: the ЕСИА identity of the session. */
export function actorOf(req: FastifyRequest): Actor {
  const p = principalOf(req);
  return { actorOid: p.oid, actorName: p.displayName };
}
