import type { FailureGroup, OpenFailure } from '../../store/repositories/dashboard-queries';
import { canActOnSchool, type Principal } from '../auth/roles';
import { visibleLinks } from '../access/visible';
import type { DashboardBackend } from '../dashboard-backend';
import { errorText } from './error-text';

export interface FailureGroupRow extends FailureGroup {
  message: string;
  hint: string;
  retryable: boolean;
  /** Runs of schools the person may act on with undelivered changes of this code. */
  retryableRuns: number;
}

/** Failed deliveries across the person's schools, grouped by error code. */
export async function failureGroupsModel(backend: DashboardBackend, p: Principal): Promise<FailureGroupRow[]> {
  const links = await visibleLinks(backend.store, p);
  const actionable = links.filter((l) => canActOnSchool(p, l.schoolId)).map((l) => l.id);
  const groups = await backend.queries.failureGroups({ linkIds: links.map((l) => l.id) });
  return Promise.all(
    groups.map(async (g) => ({
      ...g,
      ...errorText(g.code),
      retryableRuns: g.open ? (await backend.queries.runsWithOpenCode(g.code, actionable)).length : 0,
    })),
  );
}

export interface CodeFailuresModel {
  group: FailureGroupRow | null;
  code: string;
  message: string;
  hint: string;
  rows: (OpenFailure & { linkName: string })[];
}

/** The undelivered changes of one code across the person's schools. */
export async function codeFailuresModel(backend: DashboardBackend, p: Principal, code: string, limit = 1000): Promise<CodeFailuresModel> {
  const links = await visibleLinks(backend.store, p);
  const names = new Map(links.map((l) => [l.id, l.name]));
  const [groups, rows] = await Promise.all([failureGroupsModel(backend, p), backend.queries.openFailures({ linkIds: links.map((l) => l.id), code, limit })]);
  return { group: groups.find((g) => g.code === code) ?? null, ...errorText(code), rows: rows.map((r) => ({ ...r, linkName: names.get(r.linkId) ?? r.linkId })) };
}

/** Every undelivered change across the person's schools (the failures export). */
export async function openFailuresOf(backend: DashboardBackend, p: Principal, code?: string): Promise<(OpenFailure & { linkName: string; message: string; hint: string })[]> {
  const links = await visibleLinks(backend.store, p);
  const names = new Map(links.map((l) => [l.id, l.name]));
  const rows = await backend.queries.openFailures({ linkIds: links.map((l) => l.id), ...(code ? { code } : {}), limit: 100_000 });
  return rows.map((r) => ({ ...r, linkName: names.get(r.linkId) ?? r.linkId, ...errorText(r.code) }));
}
