import { NONE } from '../none';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { RunsTable } from '../schema';
import type { RunStatus } from '../run-status';
import type { Database } from '../schema';
import { runRecordOf as toRunRecord, type RunRecord } from './runs-repository';
import { toAttempt, type DeliveryAttempt } from './deliveries-repository';

/** One link's latest run and how many of its latest sync runs failed in a row. */
export interface LinkRunState {
  latest: RunRecord | null;
  /** Newest-first sync runs that ended `failed` or `partial`, up to the first one that did not. */
  consecutiveFailures: number;
}

/** Runs of one day (school-local), by final status. */
export interface RunsOfDay {
  /** `YYYY-MM-DD`. */
  day: string;
  total: number;
  /** `failed` and `partial`. */
  failed: number;
  held: number;
}

/** Failed delivery attempts of one error code across runs. */
export interface FailureGroup {
  code: string;
  /** Failed attempts logged with this code. */
  attempts: number;
  runs: number;
  links: number;
  /** Changes still undelivered with this code (not retried successfully yet). */
  open: number;
  firstSeen: Date;
  lastSeen: Date;
}

/** A staged change as the dashboard lists it. */
export interface ChangeRef {
  changeId: string;
  entity: string;
  op: string;
  sourceId: string;
  targetId: string | null;
  attempts: number;
}

/** A change that is still undelivered, with its run. */
export interface OpenFailure extends ChangeRef {
  runId: string;
  linkId: string;
  schoolId: string;
  runStatus: RunStatus;
  runCreatedAt: Date;
  code: string | null;
}

/** The latest attempt of a change, with when it ended (or started, if it never did). */
export type LastAttempt = DeliveryAttempt & { at: Date };

export interface AuditFilter {
  /** Undefined: every school (operators); rows without a school are shown only then. */
  schoolIds?: string[];
  action?: string;
  /** Substring of the actor's name or oid. */
  actor?: string;
  from?: Date;
  to?: Date;
  limit?: number;
  offset?: number;
}

const FAILED = ['failed', 'partial'];

/**
 * Read-only aggregates for the dashboard (overview, chart, failures across schools, audit
 * filters) — one query each instead of one per link or change.
 */
export class DashboardQueries {
  constructor(private readonly db: Kysely<Database>) {}

  /** Latest run (any kind) and the consecutive-failure streak of sync runs, per link. */
  async linkRunStates(linkIds: readonly string[], window = 20): Promise<Map<string, LinkRunState>> {
    const out = new Map<string, LinkRunState>(linkIds.map((id) => [id, { latest: null, consecutiveFailures: 0 }]));
    if (!linkIds.length) return out;
    const ranked = this.db
      .selectFrom('runs')
      .selectAll()
      .select(sql<number>`row_number() over (partition by link_id order by created_at desc, id desc)`.as('rn'))
      .where('link_id', 'in', [...linkIds])
      .as('ranked');
    const rows = await this.db.selectFrom(ranked).selectAll().where('rn', '<=', window).orderBy('link_id').orderBy('rn').execute();
    const streakOpen = new Set(linkIds);
    for (const row of rows) {
      const state = out.get(row.link_id)!;
      const { rn: _rn, ...run } = row;
      if (!state.latest) state.latest = toRunRecord(run as Selectable<RunsTable>);
      if (row.kind !== 'sync' || !streakOpen.has(row.link_id)) continue;
      if (FAILED.includes(row.status)) state.consecutiveFailures++;
      else if (!['planned', 'approved', 'applying', 'held'].includes(row.status)) streakOpen.delete(row.link_id);
    }
    return out;
  }

  /** Sync runs per school-local day since `since`, for the overview chart. */
  async runsPerDay(filter: { schoolIds?: string[]; since: Date; timeZone: string }): Promise<RunsOfDay[]> {
    let q = this.db
      .selectFrom('runs')
      .select([
        sql<string>`to_char((created_at at time zone ${filter.timeZone})::date, 'YYYY-MM-DD')`.as('day'),
        sql<string>`count(*)`.as('total'),
        sql<string>`count(*) filter (where status in ('failed', 'partial'))`.as('failed'),
        sql<string>`count(*) filter (where status = 'held')`.as('held'),
      ])
      .where('kind', '=', 'sync')
      .where('created_at', '>=', filter.since);
    if (filter.schoolIds) q = q.where('school_id', 'in', filter.schoolIds.length ? filter.schoolIds : [NONE]);
    const rows = await q.groupBy(sql`1`).orderBy(sql`1`).execute();
    return rows.map((r) => ({ day: r.day, total: Number(r.total), failed: Number(r.failed), held: Number(r.held) }));
  }

  /** Failed attempts grouped by error code over the links, with still-undelivered counts. */
  async failureGroups(filter: { linkIds?: string[] } = {}): Promise<FailureGroup[]> {
    const links = filter.linkIds ? (filter.linkIds.length ? filter.linkIds : [NONE]) : null;
    let attempts = this.db
      .selectFrom('deliveries')
      .select([
        'error_code',
        sql<string>`count(*)`.as('attempts'),
        sql<string>`count(distinct run_id)`.as('runs'),
        sql<string>`count(distinct link_id)`.as('links'),
        sql<Date>`min(created_at)`.as('first'),
        sql<Date>`max(created_at)`.as('last'),
      ])
      .where('outcome', '=', 'failed')
      .where('error_code', 'is not', null);
    if (links) attempts = attempts.where('link_id', 'in', links);
    let open = this.db
      .selectFrom('run_changes')
      .innerJoin('runs', 'runs.id', 'run_changes.run_id')
      .select(['run_changes.last_error_code as code', sql<string>`count(*)`.as('n')])
      .where('run_changes.status', '=', 'failed');
    if (links) open = open.where('runs.link_id', 'in', links);
    const [a, o] = await Promise.all([attempts.groupBy('error_code').execute(), open.groupBy('run_changes.last_error_code').execute()]);
    const openBy = new Map(o.map((r) => [r.code, Number(r.n)]));
    return a
      .map((r) => ({
        code: r.error_code!,
        attempts: Number(r.attempts),
        runs: Number(r.runs),
        links: Number(r.links),
        open: openBy.get(r.error_code) ?? 0,
        firstSeen: new Date(r.first),
        lastSeen: new Date(r.last),
      }))
      .sort((x, y) => y.open - x.open || y.lastSeen.getTime() - x.lastSeen.getTime());
  }

  /** Undelivered changes over the links (optionally of one code), newest runs first. */
  async openFailures(filter: { linkIds?: string[]; runId?: string; code?: string; limit?: number; offset?: number } = {}): Promise<OpenFailure[]> {
    let q = this.db
      .selectFrom('run_changes')
      .innerJoin('runs', 'runs.id', 'run_changes.run_id')
      .select([
        'run_changes.run_id',
        'runs.link_id',
        'runs.school_id',
        'runs.status as run_status',
        'runs.created_at as run_created_at',
        'run_changes.change_id',
        'run_changes.entity',
        'run_changes.op',
        'run_changes.source_id',
        'run_changes.target_id',
        'run_changes.attempts',
        'run_changes.last_error_code',
      ])
      .where('run_changes.status', '=', 'failed');
    if (filter.linkIds) q = q.where('runs.link_id', 'in', filter.linkIds.length ? filter.linkIds : [NONE]);
    if (filter.runId) q = q.where('run_changes.run_id', '=', filter.runId);
    if (filter.code) q = q.where('run_changes.last_error_code', '=', filter.code);
    const rows = await q
      .orderBy('runs.created_at', 'desc')
      .orderBy('run_changes.seq')
      .limit(filter.limit ?? 10_000)
      .offset(filter.offset ?? 0)
      .execute();
    return rows.map((r) => ({
      runId: r.run_id,
      linkId: r.link_id,
      schoolId: r.school_id,
      runStatus: r.run_status as RunStatus,
      runCreatedAt: new Date(r.run_created_at),
      changeId: r.change_id,
      entity: r.entity,
      op: r.op,
      sourceId: r.source_id,
      targetId: r.target_id,
      attempts: r.attempts,
      code: r.last_error_code,
    }));
  }

  /** The last logged attempt of each of a run's changes (one query). */
  async lastAttempts(runId: string, changeIds: readonly string[]): Promise<Map<string, LastAttempt>> {
    const out = new Map<string, LastAttempt>();
    if (!changeIds.length) return out;
    const rows = await this.db
      .selectFrom('deliveries')
      .selectAll()
      .distinctOn(['change_id'])
      .where('run_id', '=', runId)
      .where('change_id', 'in', [...changeIds])
      .orderBy('change_id')
      .orderBy('attempt', 'desc')
      .execute();
    for (const r of rows) {
      const attempt = toAttempt(r);
      out.set(r.change_id, { ...attempt, at: attempt.finishedAt ?? attempt.createdAt });
    }
    return out;
  }

  /** Runs with undelivered changes of a code (to retry a code across runs). */
  async runsWithOpenCode(code: string, linkIds?: string[]): Promise<string[]> {
    let q = this.db
      .selectFrom('run_changes')
      .innerJoin('runs', 'runs.id', 'run_changes.run_id')
      .select('run_changes.run_id')
      .distinct()
      .where('run_changes.status', '=', 'failed')
      .where('run_changes.last_error_code', '=', code)
      .where('runs.status', 'in', FAILED);
    if (linkIds) q = q.where('runs.link_id', 'in', linkIds.length ? linkIds : [NONE]);
    return (await q.execute()).map((r) => r.run_id);
  }

  /** The audit trail with filters, newest first; `total` for paging. */
  async audit(filter: AuditFilter): Promise<{ total: number; rows: { id: string; at: Date; actorOid: string; actorName: string; action: string; objectType: string; objectId: string | null; schoolId: string | null; details: Record<string, unknown> }[] }> {
    let q = this.db.selectFrom('audit');
    if (filter.schoolIds) q = q.where('school_id', 'in', filter.schoolIds.length ? filter.schoolIds : [NONE]);
    if (filter.action) q = q.where('action', '=', filter.action);
    if (filter.actor) {
      const like = `%${filter.actor.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
      q = q.where((eb) => eb.or([eb('actor_name', 'ilike', like), eb('actor_oid', 'like', like)]));
    }
    if (filter.from) q = q.where('at', '>=', filter.from);
    if (filter.to) q = q.where('at', '<', filter.to);
    const [count, rows] = await Promise.all([
      q.select(sql<string>`count(*)`.as('n')).executeTakeFirstOrThrow(),
      q.selectAll().orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).offset(filter.offset ?? 0).execute(),
    ]);
    return {
      total: Number(count.n),
      rows: rows.map((r) => ({ id: String(r.id), at: new Date(r.at), actorOid: r.actor_oid, actorName: r.actor_name, action: r.action, objectType: r.object_type, objectId: r.object_id, schoolId: r.school_id, details: r.details })),
    };
  }

  /** Distinct audit actions seen (for the filter's list). */
  async auditActions(schoolIds?: string[]): Promise<string[]> {
    let q = this.db.selectFrom('audit').select('action').distinct();
    if (schoolIds) q = q.where('school_id', 'in', schoolIds.length ? schoolIds : [NONE]);
    return (await q.orderBy('action').execute()).map((r) => r.action);
  }
}
