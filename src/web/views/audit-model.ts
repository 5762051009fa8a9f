import type { Principal } from '../auth/roles';
import { visibleLinks, visibleSchools } from '../access/visible';
import type { DashboardBackend } from '../dashboard-backend';

export interface AuditQuery {
  action?: string;
  actor?: string;
  /** `YYYY-MM-DD`, inclusive, in the display zone's calendar (compared as UTC dates: good enough for a filter). */
  from?: string;
  to?: string;
  /** One school of the person's (by id; shown by name). */
  school?: string;
  page?: number;
}

export const AUDIT_PAGE_SIZE = 50;

const isoDay = (s: string | undefined) => (s && /^\d{4}-\d{2}-\d{2}$/.test(s) ? s : undefined);

/** One page of the audit trail of the person's schools (operators: everything). */
export async function auditModel(backend: DashboardBackend, p: Principal, q: AuditQuery, pageSize = AUDIT_PAGE_SIZE) {
  const page = Math.max(1, Math.floor(q.page ?? 1));
  const from = isoDay(q.from);
  const to = isoDay(q.to);
  const visible = visibleSchools(p);
  // A school outside the person's is no filter at all: it finds nothing.
  const school = q.school && (!visible || visible.includes(q.school)) ? q.school : undefined;
  const schoolIds = school ? [school] : q.school ? [] : visible;
  const [result, actions, schoolNames, links] = await Promise.all([
    backend.queries.audit({
      schoolIds,
      action: q.action || undefined,
      actor: q.actor?.trim() || undefined,
      from: from ? new Date(`${from}T00:00:00Z`) : undefined,
      to: to ? new Date(Date.parse(`${to}T00:00:00Z`) + 86_400_000) : undefined,
      limit: pageSize,
      offset: (page - 1) * pageSize,
    }),
    backend.queries.auditActions(visible),
    backend.schoolNames(),
    visibleLinks(backend.store, p),
  ]);
  const schools = [...new Set(links.map((l) => l.schoolId))].map((id) => ({ id, name: schoolNames.get(id) ?? id })).sort((a, b) => a.name.localeCompare(b.name, 'ru'));
  return { ...result, schoolNames, schools, page, pages: Math.max(1, Math.ceil(result.total / pageSize)), actions, query: { ...q, from, to, school: q.school || undefined } };
}
