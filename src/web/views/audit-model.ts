import type { Principal } from '../auth/roles';
import { visibleSchools } from '../access/visible';
import type { DashboardBackend } from '../dashboard-backend';

export interface AuditQuery {
  action?: string;
  actor?: string;
  /** `YYYY-MM-DD`, inclusive, in the display zone's calendar (compared as UTC dates: good enough for a filter). */
  from?: string;
  to?: string;
  page?: number;
}

export const AUDIT_PAGE_SIZE = 50;

const isoDay = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);

/** One page of the audit trail of the person's schools (operators: everything). */
export async function auditModel(backend: DashboardBackend, p: Principal, q: AuditQuery, pageSize = AUDIT_PAGE_SIZE) {
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const from = isoDay(q.from);
  const to = isoDay(q.to);
  const schoolIds = visibleSchools(p);
  const [result, actions, schoolNames] = await Promise.all([
    backend.queries.audit({
      schoolIds,
      action: q.action || undefined,
      actor: q.actor?.trim() || undefined,
      from: from ? new Date(`${from}T00:00:00Z`) : undefined,
      to: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : undefined,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }),
    backend.queries.auditActions(schoolIds),
    backend.schoolNames(),
  ]);
  return { ...result, schoolNames, page, pages: Math.max(1, Math.ceil(result.total / pageSize)), actions, query: { ...q, from, to } };
}
