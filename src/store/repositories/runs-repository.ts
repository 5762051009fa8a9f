import { NONE } from '../none';
import { sql, type Kysely, type Selectable } from 'kysely';
import { EjsyncError } from '../../model';
import type { Database, RunsTable } from '../schema';
import { RUN_STATUS_LABELS, RUN_TRANSITIONS, sourcesOf, type RunStatus } from '../run-status';
import { AuditRepository, type Actor } from './audit-repository';

export type RunTrigger = 'schedule' | 'person' | 'api' | 'demo';
/** `rollover`: the school moved to a new academic year (`ejsync rollover`), always held for approval. */
export type RunKind = 'sync' | 'rollback' | 'retry' | 'rollover';

/** A run of a link as the rest of ejsync sees it. */
export interface RunRecord {
  id: string;
  linkId: string;
  schoolId: string;
  kind: RunKind;
  status: RunStatus;
  trigger: RunTrigger;
  triggeredBy: string | null;
  environment: 'live' | 'emulator';
  targetUrl: string | null;
  counts: Record<string, unknown>;
  summary: Record<string, unknown>;
  heldReasons: unknown[];
  parentRunId: string | null;
  errorCode: string | null;
  /** Write requests the platform received during this run. */
  writes: number;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
}

export interface NewRun {
  id: string;
  linkId: string;
  schoolId: string;
  kind?: RunKind;
  trigger: RunTrigger;
  triggeredBy?: string;
  environment: 'live' | 'emulator';
  targetUrl?: string;
  parentRunId?: string;
  /** What the run starts with in its summary (a rollover's order and calendar). @defaultValue `{}` */
  summary?: Record<string, unknown>;
}

/** A stored run row as the rest of ejsync sees it. */
export const runRecordOf = (r: Selectable<RunsTable>): RunRecord => ({
  id: r.id,
  linkId: r.link_id,
  schoolId: r.school_id,
  kind: r.kind as RunKind,
  status: r.status as RunStatus,
  trigger: r.trigger as RunTrigger,
  triggeredBy: r.triggered_by,
  environment: r.environment as 'live' | 'emulator',
  targetUrl: r.target_url,
  counts: r.counts,
  summary: r.summary,
  heldReasons: r.held_reasons,
  parentRunId: r.parent_run_id,
  errorCode: r.error_code,
  writes: r.writes,
  createdAt: new Date(r.created_at),
  startedAt: r.started_at ? new Date(r.started_at) : null,
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
});

export interface TransitionFields {
  counts?: Record<string, unknown>;
  summary?: Record<string, unknown>;
  heldReasons?: unknown[];
  errorCode?: string | null;
  /** What the platform said it is once it answered (`update` only). */
  environment?: 'live' | 'emulator';
}

const TERMINAL: RunStatus[] = ['succeeded', 'partial', 'failed', 'cancelled', 'discarded', 'rolled_back', 'superseded'];

/** Statuses of a run still in the machine: it may hold its link, and the watchdog looks after it. */
export const UNSETTLED_RUN_STATUSES = ['planned', 'approved', 'applying'] as const satisfies readonly RunStatus[];

/** The partial unique index that lets one run of a link hold it (migration 0007). */
const ONE_HOLDER_INDEX = 'runs_one_holder_per_link';
/** Claims tried while the link's holder keeps settling under us (each race is milliseconds wide). */
const CLAIM_ATTEMPTS = 5;

/** A unique violation of the one-holder-per-link index (PostgreSQL and PGlite report it alike). */
function isLinkHeldElsewhere(error: unknown): boolean {
  const e = error as { code?: unknown; constraint?: unknown; message?: unknown } | null;
  return !!e && e.code === '23505' && (e.constraint === ONE_HOLDER_INDEX || String(e.message ?? '').includes(ONE_HOLDER_INDEX));
}

/** What the watchdog knows of an unsettled run. */
export interface WatchedRun {
  id: string;
  linkId: string;
  kind: RunKind;
  status: RunStatus;
  /** Milliseconds since the watchdog first saw it with no live job (database clock). */
  idleMs: number;
  idleSince: Date;
  recoveries: number;
}

/** Whether a run got its link: the run holding it otherwise (null when the run is not unsettled). */
export type LinkClaim = { claimed: true } | { claimed: false; holder: RunRecord | null };

export class RunsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async create(run: NewRun): Promise<RunRecord> {
    const row = await this.db
      .insertInto('runs')
      .values({
        id: run.id,
        link_id: run.linkId,
        school_id: run.schoolId,
        kind: run.kind ?? 'sync',
        status: 'planned',
        trigger: run.trigger,
        triggered_by: run.triggeredBy ?? null,
        environment: run.environment,
        target_url: run.targetUrl ?? null,
        parent_run_id: run.parentRunId ?? null,
        counts: '{}',
        summary: JSON.stringify(run.summary ?? {}),
        held_reasons: '[]',
        error_code: null,
        started_at: new Date(),
        finished_at: null,
      })
      .returningAll()
      .executeTakeFirstOrThrow();
    return runRecordOf(row);
  }

  /**
   * Creates the rollback run of `run.parentRunId` unless that run already has one: the parent's
   * row is locked while checking, so two rollbacks asked for at once make one run and the other
   * is refused with `rollback.already_rolled_back`.
   */
  async createRollback(run: NewRun & { parentRunId: string }): Promise<RunRecord> {
    return this.db.transaction().execute(async (tx) => {
      await tx.selectFrom('runs').select('id').where('id', '=', run.parentRunId).forUpdate().executeTakeFirst();
      const repo = new RunsRepository(tx);
      const earlier = await repo.rollbackOf(run.parentRunId);
      if (earlier) throw new EjsyncError('rollback.already_rolled_back', { detail: `запуск ${run.parentRunId} откатывался запуском ${earlier.id} (${RUN_STATUS_LABELS[earlier.status]})` });
      return repo.create({ ...run, kind: 'rollback' });
    });
  }

  /** The rollback run of a run, if it was ever rolled back (or is being). */
  async rollbackOf(runId: string): Promise<RunRecord | null> {
    const row = await this.db.selectFrom('runs').selectAll().where('parent_run_id', '=', runId).where('kind', '=', 'rollback').orderBy('created_at').executeTakeFirst();
    return row ? runRecordOf(row) : null;
  }

  /**
   * A newer plan of the link replaces its older held runs: each becomes `superseded` (one
   * conditional UPDATE, so an approval at the same moment either wins before it or is refused)
   * and names the run that replaced it. Returns the superseded runs.
   */
  async supersedeHeld(newer: Pick<RunRecord, 'id' | 'linkId'> & { kind?: RunKind }): Promise<RunRecord[]> {
    // A held rollover (a new year, by order) and a held nightly sync answer different questions:
    // neither replaces the other.
    const rollover = newer.kind === 'rollover';
    const rows = await this.db
      .updateTable('runs')
      .set({ status: 'superseded', updated_at: new Date(), finished_at: new Date(), summary: sql`summary || ${JSON.stringify({ supersededBy: newer.id })}::jsonb` })
      .where('link_id', '=', newer.linkId)
      .where('status', '=', 'held')
      .where('kind', rollover ? '=' : '!=', 'rollover')
      .where('id', '!=', newer.id)
      // The newer run's own timestamp (microseconds), not the millisecond copy in RunRecord.
      .where('created_at', '<', (eb) => eb.selectFrom('runs as newer').select('newer.created_at').where('newer.id', '=', newer.id))
      .returningAll()
      .execute();
    return rows.map(runRecordOf);
  }

  async get(id: string): Promise<RunRecord | null> {
    const row = await this.db.selectFrom('runs').selectAll().where('id', '=', id).executeTakeFirst();
    return row ? runRecordOf(row) : null;
  }

  async require(id: string): Promise<RunRecord> {
    const run = await this.get(id);
    if (!run) throw new EjsyncError('store.not_found', { detail: `запуск ${id}` });
    return run;
  }

  async list(filter: { linkId?: string; schoolIds?: string[]; status?: RunStatus; limit?: number; offset?: number } = {}): Promise<RunRecord[]> {
    let q = this.db.selectFrom('runs').selectAll();
    if (filter.linkId) q = q.where('link_id', '=', filter.linkId);
    if (filter.schoolIds) q = filter.schoolIds.length ? q.where('school_id', 'in', filter.schoolIds) : q.where('id', '=', NONE);
    if (filter.status) q = q.where('status', '=', filter.status);
    const rows = await q.orderBy('created_at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 50).offset(filter.offset ?? 0).execute();
    return rows.map(runRecordOf);
  }

  /**
   * Moves a run to `to` if and only if it is in a status that may go there — one conditional
   * UPDATE, so two people approving at once cannot both win. An actor gets an audit row in the
   * same transaction. A run moving to `applying` takes its link (released by any other status):
   * while another run of the link holds it, the move is refused with `run.link_busy`.
   */
  async transition(id: string, to: RunStatus, fields: TransitionFields = {}, actor?: Actor & { reason?: string }): Promise<RunRecord> {
    try {
      return await this.transitionOnce(id, to, fields, actor);
    } catch (error) {
      if (!isLinkHeldElsewhere(error)) throw error;
      throw await this.linkBusyError(id, error);
    }
  }

  private async transitionOnce(id: string, to: RunStatus, fields: TransitionFields, actor?: Actor & { reason?: string }): Promise<RunRecord> {
    const from = sourcesOf(to);
    return this.db.transaction().execute(async (tx) => {
      // A person's action is audited with the state before and after it.
      const before = actor ? await tx.selectFrom('runs').select('status').where('id', '=', id).forUpdate().executeTakeFirst() : undefined;
      const row = await tx
        .updateTable('runs')
        .set({
          status: to,
          holds_link: to === 'applying',
          // A new status starts the watchdog's count afresh; applying again (a retry) or a new
          // approval gets its full number of recoveries.
          idle_since: null,
          ...(to === 'applying' || to === 'approved' ? { recoveries: 0 } : {}),
          updated_at: new Date(),
          ...(fields.counts ? { counts: JSON.stringify(fields.counts) } : {}),
          ...(fields.summary ? { summary: JSON.stringify(fields.summary) } : {}),
          ...(fields.heldReasons ? { held_reasons: JSON.stringify(fields.heldReasons) } : {}),
          ...(fields.errorCode !== undefined ? { error_code: fields.errorCode } : {}),
          ...(TERMINAL.includes(to) ? { finished_at: new Date() } : {}),
        })
        .where('id', '=', id)
        .where('status', 'in', from.length ? from : [NONE])
        .returningAll()
        .executeTakeFirst();
      if (!row) {
        const current = await tx.selectFrom('runs').select('status').where('id', '=', id).executeTakeFirst();
        if (!current) throw new EjsyncError('store.not_found', { detail: `запуск ${id}` });
        throw new EjsyncError('store.invalid_transition', { detail: `${current.status} → ${to}; допустимо из: ${from.join(', ') || '—'}` });
      }
      if (actor) {
        await new AuditRepository(tx).append({
          ...actor,
          action: `run.${to}`,
          objectType: 'run',
          objectId: id,
          schoolId: row.school_id,
          details: { ...(actor.reason ? { reason: actor.reason } : {}), before: { status: before?.status ?? null }, after: { status: to } },
        });
      }
      return runRecordOf(row);
    });
  }

  /**
   * The run takes its link before it plans or applies: one conditional UPDATE guarded by the
   * partial unique index, so of two runs of a link claiming at once exactly one gets it. A run
   * that holds it already keeps it. A held or finished run claims nothing (`holder: null`).
   * The holder may settle between the refused UPDATE and the look-up of who holds the link: then
   * the link is free and the claim is tried again, rather than answered as if this run had settled.
   */
  async claimLink(id: string): Promise<LinkClaim> {
    for (let attempt = 0; ; attempt++) {
      try {
        const row = await this.db
          .updateTable('runs')
          .set({ holds_link: true })
          .where('id', '=', id)
          .where('status', 'in', [...UNSETTLED_RUN_STATUSES])
          .returning('id')
          .executeTakeFirst();
        return row ? { claimed: true } : { claimed: false, holder: null };
      } catch (error) {
        if (!isLinkHeldElsewhere(error)) throw error;
        const run = await this.require(id);
        const holder = await this.linkHolder(run.linkId);
        if (holder) return { claimed: false, holder };
        if (attempt >= CLAIM_ATTEMPTS - 1) throw new EjsyncError('run.link_busy', { cause: error, detail: `связь ${run.linkId}: запуск ${id} не смог занять её за ${CLAIM_ATTEMPTS} попыток` });
      }
    }
  }

  /** The run that holds the link now (planning or applying), if any. */
  async linkHolder(linkId: string): Promise<RunRecord | null> {
    const row = await this.db.selectFrom('runs').selectAll().where('link_id', '=', linkId).where('holds_link', '=', true).where('status', 'in', [...UNSETTLED_RUN_STATUSES]).executeTakeFirst();
    return row ? runRecordOf(row) : null;
  }

  private async linkBusyError(id: string, cause: unknown): Promise<EjsyncError> {
    const run = await this.get(id);
    const holder = run ? await this.linkHolder(run.linkId) : null;
    return new EjsyncError('run.link_busy', { cause, detail: holder ? `связь ${holder.linkId} занята запуском ${holder.id} (${RUN_STATUS_LABELS[holder.status]})` : `запуск ${id}` });
  }

  /** Runs still in the machine (planned, approved, applying), oldest first, for the watchdog. */
  async unsettled(): Promise<RunRecord[]> {
    const rows = await this.db.selectFrom('runs').selectAll().where('status', 'in', [...UNSETTLED_RUN_STATUSES]).orderBy('created_at').execute();
    return rows.map(runRecordOf);
  }

  /** The watchdog saw these runs with live jobs: they are not idle. */
  async markBusy(ids: readonly string[]): Promise<void> {
    if (!ids.length) return;
    await this.db.updateTable('runs').set({ idle_since: null }).where('id', 'in', [...ids]).where('idle_since', 'is not', null).execute();
  }

  /**
   * The watchdog saw these unsettled runs with no live job: each is idle since the first time it
   * was seen so (kept while it stays idle). Returns them with how long they have been idle, by
   * the database's clock (every process compares against the same one).
   */
  async markIdle(ids: readonly string[]): Promise<WatchedRun[]> {
    if (!ids.length) return [];
    const rows = await this.db
      .updateTable('runs')
      // Milliseconds, as a JS Date holds them: `countRecovery` compares by equality.
      .set({ idle_since: sql`coalesce(idle_since, date_trunc('milliseconds', now()))` })
      .where('id', 'in', [...ids])
      .where('status', 'in', [...UNSETTLED_RUN_STATUSES])
      .returning(['id', 'link_id', 'kind', 'status', 'idle_since', 'recoveries', sql<number>`(extract(epoch from (now() - idle_since)) * 1000)::float8`.as('idle_ms')])
      .execute();
    return rows.map((r) => ({ id: r.id, linkId: r.link_id, kind: r.kind as RunKind, status: r.status as RunStatus, idleSince: new Date(r.idle_since!), idleMs: Number(r.idle_ms), recoveries: r.recoveries }));
  }

  /**
   * Counts one recovery of an idle run — only if it is still idle since `idleSince` (two
   * watchdogs cannot both recover it) — and starts its idle time over. Returns the recoveries so
   * far, or null when another watchdog (or progress) came first.
   */
  async countRecovery(id: string, idleSince: Date): Promise<number | null> {
    const row = await this.db
      .updateTable('runs')
      .set((eb) => ({ recoveries: eb('recoveries', '+', 1), idle_since: null }))
      .where('id', '=', id)
      .where('idle_since', '=', idleSince)
      .where('status', 'in', [...UNSETTLED_RUN_STATUSES])
      .returning('recoveries')
      .executeTakeFirst();
    return row ? row.recoveries : null;
  }

  /** Updates counts / summary without a status change (progress while applying). */
  async update(id: string, fields: TransitionFields): Promise<void> {
    await this.db
      .updateTable('runs')
      .set({
        updated_at: new Date(),
        ...(fields.counts ? { counts: JSON.stringify(fields.counts) } : {}),
        ...(fields.summary ? { summary: JSON.stringify(fields.summary) } : {}),
        ...(fields.heldReasons ? { held_reasons: JSON.stringify(fields.heldReasons) } : {}),
        ...(fields.environment ? { environment: fields.environment } : {}),
      })
      .where('id', '=', id)
      .execute();
  }

  /** Counts one write request the platform received (atomic increment). */
  async addWrites(id: string, n = 1): Promise<void> {
    await this.db
      .updateTable('runs')
      .set((eb) => ({ writes: eb('writes', '+', n) }))
      .where('id', '=', id)
      .execute();
  }

  /** The last runs of a link, newest first (for consecutive-failure alerts). */
  async recentStatuses(linkId: string, n: number): Promise<RunStatus[]> {
    const rows = await this.db.selectFrom('runs').select('status').where('link_id', '=', linkId).where('kind', '=', 'sync').orderBy('created_at', 'desc').limit(n).execute();
    return rows.map((r) => r.status as RunStatus);
  }
}

export { RUN_TRANSITIONS };
