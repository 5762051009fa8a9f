import type { FastifyInstance } from 'fastify';
import type { DashboardDeps } from '../dashboard-deps';
import { registerAuditRoutes } from './audit-routes';
import { registerExportRoutes } from './export-routes';
import { registerFailureRoutes } from './failures-routes';
import { registerLinkRoutes } from './links-routes';
import { registerPeriodApiRoutes } from './period-routes';
import { OPENAPI_DOCUMENT } from './openapi-document';
import { registerRunRoutes } from './runs-routes';
import { registerWorklistApiRoutes } from './worklist-routes';

/** The dashboard's JSON API (documented in `OPENAPI_DOCUMENT`); every route is behind sign-in and scoped to the person's schools. */
export function registerApiRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/openapi.json', async () => OPENAPI_DOCUMENT);
  registerLinkRoutes(app, deps);
  registerPeriodApiRoutes(app, deps);
  registerRunRoutes(app, deps);
  registerFailureRoutes(app, deps);
  registerAuditRoutes(app, deps);
  registerExportRoutes(app, deps);
  registerWorklistApiRoutes(app, deps);
}
