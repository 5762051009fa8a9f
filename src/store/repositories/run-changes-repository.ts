import { NONE } from '../none';
import type { Kysely, Selectable } from 'kysely';
import type { ChangeOp, EntityCollection } from '../../model';
import type { Database, RunChangesTable } from '../schema';

export type ChangeStatus = 'pending' | 'applied' | 'failed' | 'skipped';

/** One staged change of a run (the plan a held run waits with, and the apply log's subject). */
export interface StagedChange {
  runId: string;
  changeId: string;
  seq: number;
  phase: number;
  entity: EntityCollection;
  op: ChangeOp;
  sourceId: string;
  targetId: string | null;
  before: unknown;
  after: unknown;
  changedFields: string[] | null;
  status: ChangeStatus;
  attempts: number;
  lastErrorCode: string | null;
}

export type NewStagedChange = Omit<StagedChange, 'runId' | 'status' | 'attempts' | 'lastErrorCode' | 'targetId'> & { targetId?: string | null };

const toChange = (r: Selectable<RunChangesTable>): StagedChange => ({
  runId: r.run_id,
  changeId: r.change_id,
  seq: r.seq,
  phase: r.phase,
  entity: r.entity as EntityCollection,
  op: r.op as ChangeOp,
  sourceId: r.source_id,
  targetId: r.target_id,
  before: r.before,
  after: r.after,
  changedFields: r.changed_fields,
  status: r.status as ChangeStatus,
  attempts: r.attempts,
  lastErrorCode: r.last_error_code,
});

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 parameters (11 columns each). */
const CHUNK = 1000;

export class RunChangesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Stages a plan in chunks (hundreds of thousands of changes for a big school). */
  async stage(runId: string, changes: readonly NewStagedChange[]): Promise<void> {
    for (let i = 0; i < changes.length; i += CHUNK) {
      const rows = changes.slice(i, i + CHUNK).map((c) => ({
        run_id: runId,
        change_id: c.changeId,
        seq: c.seq,
        phase: c.phase,
        entity: c.entity,
        op: c.op,
        source_id: c.sourceId,
        target_id: c.targetId ?? null,
        before: c.before === undefined ? null : JSON.stringify(c.before),
        after: c.after === undefined ? null : JSON.stringify(c.after),
        changed_fields: c.changedFields ? JSON.stringify(c.changedFields) : null,
      }));
      await this.db.insertInto('run_changes').values(rows).onConflict((oc) => oc.columns(['run_id', 'change_id']).doNothing()).execute();
    }
  }

  async get(runId: string, changeId: string): Promise<StagedChange | null> {
    const r = await this.db.selectFrom('run_changes').selectAll().where('run_id', '=', runId).where('change_id', '=', changeId).executeTakeFirst();
    return r ? toChange(r) : null;
  }

  async list(runId: string, filter: { status?: ChangeStatus; phase?: number; errorCode?: string; limit?: number; offset?: number } = {}): Promise<StagedChange[]> {
    let q = this.db.selectFrom('run_changes').selectAll().where('run_id', '=', runId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.phase !== undefined) q = q.where('phase', '=', filter.phase);
    if (filter.errorCode) q = q.where('last_error_code', '=', filter.errorCode);
    const rows = await q.orderBy('seq').limit(filter.limit ?? 1_000_000).offset(filter.offset ?? 0).execute();
    return rows.map(toChange);
  }

  /** Counts per status (and per entity × op × status, for reports). */
  async counts(runId: string): Promise<{ entity: string; op: string; status: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('run_changes')
      .select(['entity', 'op', 'status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('run_id', '=', runId)
      .groupBy(['entity', 'op', 'status'])
      .execute();
    return rows.map((r) => ({ entity: r.entity, op: r.op, status: r.status, n: Number(r.n) }));
  }

  /** The lowest phase that still has pending changes, or null when none is left. */
  async lowestPendingPhase(runId: string): Promise<number | null> {
    const r = await this.db
      .selectFrom('run_changes')
      .select((eb) => eb.fn.min<number>('phase').as('phase'))
      .where('run_id', '=', runId)
      .where('status', '=', 'pending')
      .executeTakeFirst();
    return r?.phase ?? null;
  }

  async markApplied(runId: string, changeId: string, targetId: string): Promise<void> {
    await this.db
      .updateTable('run_changes')
      .set((eb) => ({ status: 'applied', target_id: targetId, applied_at: new Date(), attempts: eb('attempts', '+', 1), last_error_code: null }))
      .where('run_id', '=', runId)
      .where('change_id', '=', changeId)
      .execute();
  }

  async markFailed(runId: string, changeId: string, errorCode: string): Promise<void> {
    await this.db
      .updateTable('run_changes')
      .set((eb) => ({ status: 'failed', attempts: eb('attempts', '+', 1), last_error_code: errorCode }))
      .where('run_id', '=', runId)
      .where('change_id', '=', changeId)
      .execute();
  }

  async markSkipped(runId: string, changeId: string, errorCode: string): Promise<void> {
    await this.db.updateTable('run_changes').set({ status: 'skipped', last_error_code: errorCode }).where('run_id', '=', runId).where('change_id', '=', changeId).execute();
  }

  /** Puts failed changes back to pending (retry), optionally only those with one error code. */
  async resetFailed(runId: string, errorCode?: string, changeIds?: string[]): Promise<number> {
    let q = this.db.updateTable('run_changes').set({ status: 'pending' }).where('run_id', '=', runId).where('status', '=', 'failed');
    if (errorCode) q = q.where('last_error_code', '=', errorCode);
    if (changeIds) q = q.where('change_id', 'in', changeIds.length ? changeIds : [NONE]);
    const result = await q.executeTakeFirst();
    return Number(result.numUpdatedRows);
  }
}
