import type { LinkRecord, RunRecord } from '../../store';
import type { RunsOfDay } from '../../store/repositories/dashboard-queries';
import { canActOnSchool, type Principal } from '../auth/roles';
import { visibleLinks, visibleSchools } from '../access/visible';
import type { DashboardBackend } from '../dashboard-backend';
import { ACTIVE_RUN_STATUSES } from '../dashboard-backend';
import { runTotals, type RunTotals } from './run-counts';

/** Overview filters (all optional; from the query string). */
export interface OverviewFilter {
  /** Substring of the link's name, id or school id. */
  q?: string;
  school?: string;
  platform?: string;
  /** `failing` (last run failed or partial), `held`, `ok`, `never`, `paused`, `running`. */
  state?: string;
}

export const LINK_STATES: Record<string, string> = {
  failing: 'с ошибками',
  held: 'ждут решения',
  running: 'выполняются',
  ok: 'успешно',
  never: 'ещё не запускались',
  paused: 'приостановлены',
};

export interface LinkRow {
  id: string;
  name: string;
  schoolId: string;
  /** The school's name (from its МИС roster), else its id. */
  schoolName: string;
  platform: string;
  paused: boolean;
  lastRun: (Pick<RunRecord, 'id' | 'status' | 'kind' | 'trigger' | 'createdAt' | 'finishedAt' | 'writes' | 'environment'> & { totals: RunTotals }) | null;
  nextRunAt: Date | null;
  consecutiveFailures: number;
  running: boolean;
  mayAct: boolean;
}

export interface OverviewModel {
  rows: LinkRow[];
  /** Every visible link before filtering (for the filter lists). */
  total: number;
  schools: { id: string; name: string }[];
  platforms: string[];
  held: { id: string; linkId: string; linkName: string; schoolId: string; schoolName: string; createdAt: Date }[];
  chart: RunsOfDay[];
}

function stateOf(row: LinkRow): string {
  if (row.paused) return 'paused';
  if (!row.lastRun) return 'never';
  if (row.running) return 'running';
  if (row.lastRun.status === 'held') return 'held';
  if (['failed', 'partial'].includes(row.lastRun.status)) return 'failing';
  return 'ok';
}

/** The last `days` school-local days ending today, with zero-filled gaps. */
export function lastDays(rows: readonly RunsOfDay[], days: number, now: Date, timeZone: string): RunsOfDay[] {
  const byDay = new Map(rows.map((r) => [r.day, r]));
  const today = new Intl.DateTimeFormat('en-CA', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit' }).format(now);
  const base = Date.parse(`${today}T12:00:00Z`);
  const out: RunsOfDay[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const day = new Date(base - i * 86_400_000).toISOString().slice(0, 10);
    out.push(byDay.get(day) ?? { day, total: 0, failed: 0, held: 0 });
  }
  return out;
}

/** Every link the person may see with its last and next run, filtered; held runs; the 30-day chart. */
export async function overviewModel(backend: DashboardBackend, p: Principal, filter: OverviewFilter, options: { now?: Date; timeZone: string }): Promise<OverviewModel> {
  const now = options.now ?? new Date();
  const links: LinkRecord[] = await visibleLinks(backend.store, p);
  const [states, next, perDay, held, schoolNames] = await Promise.all([
    backend.queries.linkRunStates(links.map((l) => l.id)),
    backend.nextRuns().catch(() => new Map<string, Date>()),
    backend.queries.runsPerDay({ schoolIds: visibleSchools(p), since: new Date(now.getTime() - 31 * 86_400_000), timeZone: options.timeZone }),
    backend.store.runs.list({ status: 'held', schoolIds: visibleSchools(p), limit: 50 }),
    backend.schoolNames(),
  ]);
  const schoolName = (id: string) => schoolNames.get(id) ?? id;
  const all: LinkRow[] = links.map((link) => {
    const state = states.get(link.id);
    const last = state?.latest ?? null;
    return {
      id: link.id,
      name: link.name,
      schoolId: link.schoolId,
      schoolName: schoolName(link.schoolId),
      platform: link.platform,
      paused: link.paused,
      lastRun: last
        ? { id: last.id, status: last.status, kind: last.kind, trigger: last.trigger, createdAt: last.createdAt, finishedAt: last.finishedAt, writes: last.writes, environment: last.environment, totals: runTotals(last) }
        : null,
      nextRunAt: link.paused ? null : (next.get(link.id) ?? null),
      consecutiveFailures: state?.consecutiveFailures ?? 0,
      running: !!last && (ACTIVE_RUN_STATUSES as readonly string[]).includes(last.status),
      mayAct: canActOnSchool(p, link.schoolId),
    };
  });
  const q = filter.q?.trim().toLocaleLowerCase('ru-RU');
  const rows = all
    .filter((r) => !q || [r.name, r.id, r.schoolId, r.schoolName].some((s) => s.toLocaleLowerCase('ru-RU').includes(q)))
    .filter((r) => !filter.school || r.schoolId === filter.school)
    .filter((r) => !filter.platform || r.platform === filter.platform)
    .filter((r) => !filter.state || stateOf(r) === filter.state)
    // Links that need a person come first: failing streaks, then held, then by name.
    .sort((a, b) => b.consecutiveFailures - a.consecutiveFailures || Number(b.lastRun?.status === 'held') - Number(a.lastRun?.status === 'held') || a.name.localeCompare(b.name, 'ru'));
  const names = new Map(links.map((l) => [l.id, l.name]));
  return {
    rows,
    total: all.length,
    schools: [...new Set(links.map((l) => l.schoolId))].map((id) => ({ id, name: schoolName(id) })).sort((a, b) => a.name.localeCompare(b.name, 'ru')),
    platforms: [...new Set(links.map((l) => l.platform))].sort(),
    held: held.map((r) => ({ id: r.id, linkId: r.linkId, linkName: names.get(r.linkId) ?? r.linkId, schoolId: r.schoolId, schoolName: schoolName(r.schoolId), createdAt: r.createdAt })),
    chart: lastDays(perDay, 30, now, options.timeZone),
  };
}
