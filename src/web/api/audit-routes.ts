import type { FastifyInstance } from 'fastify';
import { principalOf, type DashboardDeps } from '../dashboard-deps';
import { lastDays } from '../views/overview-model';
import { visibleSchools } from '../access/visible';
import { auditModel, type AuditQuery } from '../views/audit-model';

/** `/api/audit` (who did what, when) and `/api/stats/runs-per-day` (the overview chart's numbers). */
export function registerAuditRoutes(app: FastifyInstance, deps: DashboardDeps): void {
  app.get('/api/audit', async (req) => {
    const q = req.query as Record<string, string | undefined>;
    const query: AuditQuery = { action: q.action, actor: q.actor, from: q.from, to: q.to, school: q.school, page: q.page ? Number(q.page) : 1 };
    const m = await auditModel(deps.backend, principalOf(req), query);
    return { audit: m.rows, total: m.total, page: m.page, pages: m.pages, actions: m.actions };
  });

  app.get('/api/stats/runs-per-day', async (req) => {
    const days = Math.min(92, Math.max(1, Number((req.query as { days?: string }).days ?? 30) || 30));
    const now = deps.now();
    const rows = await deps.backend.queries.runsPerDay({ schoolIds: visibleSchools(principalOf(req)), since: new Date(now.getTime() - (days + 1) * 86_400_000), timeZone: deps.timeZone });
    return { timeZone: deps.timeZone, days: lastDays(rows, days, now, deps.timeZone) };
  });
}
