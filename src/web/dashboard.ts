import type { FastifyInstance } from 'fastify';
import { registerApiRoutes } from './api/api-routes';
import { registerAssetRoutes } from './assets/asset-routes';
import { registerQueueBoard } from './board/queue-board';
import type { DashboardBackend } from './dashboard-backend';
import type { DashboardDeps } from './dashboard-deps';
import { DEFAULT_TIME_ZONE } from './pages/labels';
import { registerPageRoutes } from './pages/page-routes';

export interface DashboardOptions {
  /** Zone of every date shown. @defaultValue `Asia/Yekaterinburg` */
  timeZone?: string;
  /** The chart's clock. @defaultValue `() => new Date()` */
  now?: () => Date;
  /** Mount the read-only queue board (operators). @defaultValue true */
  queueBoard?: boolean;
}

/**
 * Registers the failed-sync dashboard on a server built by `buildWebServer`: pages, JSON API
 * with its OpenAPI document, report downloads, the app's own CSS/JS, and the queue board.
 */
export async function registerDashboard(app: FastifyInstance, backend: DashboardBackend, options: DashboardOptions = {}): Promise<DashboardDeps> {
  const deps: DashboardDeps = { backend, timeZone: options.timeZone ?? DEFAULT_TIME_ZONE, now: options.now ?? (() => new Date()) };
  registerAssetRoutes(app);
  registerApiRoutes(app, deps);
  registerPageRoutes(app, deps);
  if (options.queueBoard ?? true) await registerQueueBoard(app, backend);
  return deps;
}
