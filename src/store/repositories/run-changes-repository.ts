import { NONE } from '../none';
import { sql, type Kysely, type Selectable } from 'kysely';
import type { ChangeOp, EntityCollection } from '../../model';
import type { Database, RunChangesTable } from '../schema';
import type { PersonalDataBox } from './personal-data-box';

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
  /** The record as delivered, references in platform ids (null until applied, or applied before it was kept). */
  delivered: unknown;
  /** What the change concerns in school terms, people by id only (`ChangeContext` of reconcile); null for changes staged before it was kept. */
  context: unknown;
}

/**
 * A change to stage. `skipped` with a code stages what is known up front not to be deliverable
 * (a rollback's not-invertible changes): it counts against a clean end without being sent.
 */
export type NewStagedChange = Omit<StagedChange, 'runId' | 'status' | 'attempts' | 'lastErrorCode' | 'targetId' | 'delivered' | 'context'> & {
  targetId?: string | null;
  context?: unknown;
  skipped?: { code: string };
};

/** An applied change of a later run of the same link to a record another run changed. */
export interface LaterChange {
  runId: string;
  runKind: string;
  runStatus: string;
  entity: EntityCollection;
  op: ChangeOp;
  sourceId: string;
}

/** Where a sealed record lives: a value copied to another row or column does not open. */
const sealedAt = (runId: string, changeId: string, column: string) => `run_changes/${runId}/${changeId}/${column}`;

const toChange = (r: Selectable<RunChangesTable>, personal?: PersonalDataBox): StagedChange => ({
  runId: r.run_id,
  changeId: r.change_id,
  seq: r.seq,
  phase: r.phase,
  entity: r.entity as EntityCollection,
  op: r.op as ChangeOp,
  sourceId: r.source_id,
  targetId: r.target_id,
  before: personal ? personal.openRecord(r.before, sealedAt(r.run_id, r.change_id, 'before')) : r.before,
  after: personal ? personal.openRecord(r.after, sealedAt(r.run_id, r.change_id, 'after')) : r.after,
  changedFields: r.changed_fields,
  status: r.status as ChangeStatus,
  attempts: r.attempts,
  lastErrorCode: r.last_error_code,
  delivered: (personal ? personal.openRecord(r.delivered, sealedAt(r.run_id, r.change_id, 'delivered')) : r.delivered) ?? null,
  context: r.context ?? null,
});

/** Rows per multi-row INSERT: well under PostgreSQL's 65,535 parameters (11 columns each). */
const CHUNK = 1000;

/**
 * The staged changes of runs. With a `PersonalDataBox`, the personal fields of people's records
 * (names, birth dates, СНИЛС, contacts) are sealed in `before`, `after` and `delivered`, and
 * opened on reading: callers see whole records.
 */
export class RunChangesRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly personal?: PersonalDataBox,
  ) {}

  /** `entity` names the collection; a delivered record is sealed by its fields alone (any record with a person's fields). */
  private seal(entity: string, record: unknown, runId: string, changeId: string, column: string): unknown {
    return this.personal ? this.personal.sealRecord(column === 'delivered' ? '*' : entity, record, sealedAt(runId, changeId, column)) : record;
  }

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
        before: c.before === undefined ? null : JSON.stringify(this.seal(c.entity, c.before, runId, c.changeId, 'before')),
        after: c.after === undefined ? null : JSON.stringify(this.seal(c.entity, c.after, runId, c.changeId, 'after')),
        changed_fields: c.changedFields ? JSON.stringify(c.changedFields) : null,
        context: c.context === undefined ? null : JSON.stringify(c.context),
        ...(c.skipped ? { status: 'skipped', last_error_code: c.skipped.code } : {}),
      }));
      await this.db.insertInto('run_changes').values(rows).onConflict((oc) => oc.columns(['run_id', 'change_id']).doNothing()).execute();
    }
  }

  async get(runId: string, changeId: string): Promise<StagedChange | null> {
    const r = await this.db.selectFrom('run_changes').selectAll().where('run_id', '=', runId).where('change_id', '=', changeId).executeTakeFirst();
    return r ? toChange(r, this.personal) : null;
  }

  async list(runId: string, filter: { status?: ChangeStatus; phase?: number; errorCode?: string; limit?: number; offset?: number } = {}): Promise<StagedChange[]> {
    let q = this.db.selectFrom('run_changes').selectAll().where('run_id', '=', runId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.phase !== undefined) q = q.where('phase', '=', filter.phase);
    if (filter.errorCode) q = q.where('last_error_code', '=', filter.errorCode);
    const rows = await q.orderBy('seq').limit(filter.limit ?? 1_000_000).offset(filter.offset ?? 0).execute();
    return rows.map((r) => toChange(r, this.personal));
  }

  /**
   * One page of a run's changes for reading (the dashboard's list): by status, collection and the
   * pupils they concern (МИС ids from the change's context), with the total.
   */
  async page(runId: string, filter: { status?: ChangeStatus; entity?: string; pupilIds?: readonly string[]; limit: number; offset: number }): Promise<{ rows: StagedChange[]; total: number }> {
    let q = this.db.selectFrom('run_changes').where('run_id', '=', runId);
    if (filter.status) q = q.where('status', '=', filter.status);
    if (filter.entity) q = q.where('entity', '=', filter.entity);
    if (filter.pupilIds) q = q.where(sql<string>`context->>'pupilId'`, 'in', filter.pupilIds.length ? [...filter.pupilIds] : [NONE]);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<string>().as('n')).execute();
    const rows = await q.selectAll().orderBy('seq').limit(filter.limit).offset(filter.offset).execute();
    return { rows: rows.map((r) => toChange(r, this.personal)), total: Number(n) };
  }

  /** The changes of a link's runs that concern one pupil (МИС id), newest run first, with their run. */
  async forPupil(linkId: string, pupilId: string, limit = 200): Promise<(StagedChange & { runCreatedAt: Date; runStatus: string })[]> {
    const rows = await this.db
      .selectFrom('run_changes')
      .innerJoin('runs', 'runs.id', 'run_changes.run_id')
      .selectAll('run_changes')
      .select(['runs.created_at as run_created_at', 'runs.status as run_status'])
      .where('runs.link_id', '=', linkId)
      .where(sql<string>`run_changes.context->>'pupilId'`, '=', pupilId)
      .orderBy('runs.created_at', 'desc')
      .orderBy('run_changes.seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...toChange(r, this.personal), runCreatedAt: new Date(r.run_created_at), runStatus: r.run_status }));
  }

  /**
   * A link's changes across its runs created since a day, by what they concern (the class or
   * group, the subject from their context) and status: the class and subject views.
   */
  async ofLink(
    linkId: string,
    filter: { since: Date; group?: string; subject?: string; status?: ChangeStatus; limit: number; offset: number },
  ): Promise<{ rows: (StagedChange & { runCreatedAt: Date })[]; total: number }> {
    let q = this.db.selectFrom('run_changes').innerJoin('runs', 'runs.id', 'run_changes.run_id').where('runs.link_id', '=', linkId).where('runs.created_at', '>=', filter.since);
    if (filter.group) q = q.where((eb) => eb.or([eb(sql<string>`run_changes.context->>'group'`, '=', filter.group!), eb(sql<string>`run_changes.context->>'group'`, 'like', `${filter.group!.replace(/[%_\\]/g, (c) => `\\${c}`)},%`)]));
    if (filter.subject) q = q.where(sql<string>`run_changes.context->>'subject'`, '=', filter.subject);
    if (filter.status) q = q.where('run_changes.status', '=', filter.status);
    const [{ n }] = await q.select((eb) => eb.fn.countAll<string>().as('n')).execute();
    const rows = await q.selectAll('run_changes').select('runs.created_at as run_created_at').orderBy('runs.created_at', 'desc').orderBy('run_changes.seq').limit(filter.limit).offset(filter.offset).execute();
    return { rows: rows.map((r) => ({ ...toChange(r, this.personal), runCreatedAt: new Date(r.run_created_at) })), total: Number(n) };
  }

  /**
   * Where each change of a link dated in `[from, to]` (its context's date) stands now: the row of
   * the newest run that staged it (change ids are stable across runs), runs that never counted
   * (superseded, discarded, cancelled) left out. What the monthly discrepancy report lists.
   */
  async latestInDates(linkId: string, from: string, to: string, limit = 20_000): Promise<(StagedChange & { runCreatedAt: Date; runStatus: string })[]> {
    const rows = await this.db
      .selectFrom('run_changes')
      .innerJoin('runs', 'runs.id', 'run_changes.run_id')
      .selectAll('run_changes')
      .select(['runs.created_at as run_created_at', 'runs.status as run_status'])
      .distinctOn('run_changes.change_id')
      .where('runs.link_id', '=', linkId)
      .where('runs.status', 'not in', ['superseded', 'discarded', 'cancelled'])
      .where(sql<string>`run_changes.context->>'date'`, '>=', from)
      .where(sql<string>`run_changes.context->>'date'`, '<=', to)
      .orderBy('run_changes.change_id')
      .orderBy('runs.created_at', 'desc')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ ...toChange(r, this.personal), runCreatedAt: new Date(r.run_created_at), runStatus: r.run_status }));
  }

  /** Final marks of a link's runs by class (group), subject, kind and status: what reached the platform (the newest state of each). */
  async finalMarks(linkId: string, kinds: readonly string[]): Promise<{ group: string | null; subject: string | null; kind: string; status: string; n: number }[]> {
    const latest = this.db
      .selectFrom('run_changes')
      .innerJoin('runs', 'runs.id', 'run_changes.run_id')
      .select([
        'run_changes.status',
        sql<string | null>`run_changes.context->>'group'`.as('grp'),
        sql<string | null>`run_changes.context->>'subject'`.as('subject'),
        sql<string>`coalesce(run_changes.after->>'kind', run_changes.before->>'kind')`.as('kind'),
      ])
      .distinctOn('run_changes.change_id')
      .where('runs.link_id', '=', linkId)
      .where('runs.status', 'not in', ['superseded', 'discarded', 'cancelled'])
      .where('run_changes.entity', '=', 'marks')
      .where(sql<string>`coalesce(run_changes.after->>'kind', run_changes.before->>'kind')`, 'in', kinds.length ? [...kinds] : [NONE])
      .orderBy('run_changes.change_id')
      .orderBy('runs.created_at', 'desc')
      .as('latest');
    const rows = await this.db
      .selectFrom(latest)
      .select(['latest.grp', 'latest.subject', 'latest.kind', 'latest.status', (eb) => eb.fn.countAll<string>().as('n')])
      .groupBy(['latest.grp', 'latest.subject', 'latest.kind', 'latest.status'])
      .execute();
    return rows.map((r) => ({ group: r.grp, subject: r.subject, kind: r.kind, status: r.status, n: Number(r.n) }));
  }

  /** Per subject and status, how many changes of a link's runs since a day concern a class (or its groups). */
  async subjectsOfGroup(linkId: string, group: string, since: Date): Promise<{ subject: string | null; entity: string; status: string; n: number }[]> {
    const rows = await this.db
      .selectFrom('run_changes')
      .innerJoin('runs', 'runs.id', 'run_changes.run_id')
      .select([sql<string | null>`run_changes.context->>'subject'`.as('subject'), 'run_changes.entity', 'run_changes.status', (eb) => eb.fn.countAll<string>().as('n')])
      .where('runs.link_id', '=', linkId)
      .where('runs.created_at', '>=', since)
      .where((eb) => eb.or([eb(sql<string>`run_changes.context->>'group'`, '=', group), eb(sql<string>`run_changes.context->>'group'`, 'like', `${group.replace(/[%_\\]/g, (c) => `\\${c}`)},%`)]))
      .groupBy([sql`run_changes.context->>'subject'`, 'run_changes.entity', 'run_changes.status'])
      .execute();
    return rows.map((r) => ({ subject: r.subject, entity: r.entity, status: r.status, n: Number(r.n) }));
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

  /** Records a change as applied, with the record as delivered (platform ids) when there was one. */
  async markApplied(runId: string, changeId: string, targetId: string, delivered?: unknown): Promise<void> {
    await this.db
      .updateTable('run_changes')
      .set((eb) => ({
        status: 'applied',
        target_id: targetId,
        applied_at: new Date(),
        attempts: eb('attempts', '+', 1),
        last_error_code: null,
        ...(delivered !== undefined && delivered !== null ? { delivered: JSON.stringify(this.seal('pupils', delivered, runId, changeId, 'delivered')) } : {}),
      }))
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

  /**
   * Replaces a run's staged plan with a new one (an approved run re-planned before anything was
   * sent), in one transaction. Refused once any change of the run was applied or failed.
   */
  async replacePlan(runId: string, changes: readonly NewStagedChange[]): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const touched = await tx.selectFrom('run_changes').select('change_id').where('run_id', '=', runId).where('status', 'in', ['applied', 'failed']).limit(1).executeTakeFirst();
      if (touched) throw new Error(`run ${runId}: a plan with delivered changes cannot be replaced`);
      await tx.deleteFrom('run_changes').where('run_id', '=', runId).execute();
      await new RunChangesRepository(tx, this.personal).stage(runId, changes);
    });
  }

  /**
   * Applied changes of later runs of the same link (created after this one) to the records this
   * run applied changes to, by collection and source id or platform id. A later run that was rolled
   * back, and the rollback that undid it, cancel out and are left out.
   */
  async laterChangesTo(runId: string, limit = 1000): Promise<LaterChange[]> {
    const run = await this.db.selectFrom('runs').select('link_id').where('id', '=', runId).executeTakeFirst();
    if (!run) return [];
    const rows = await this.db
      .selectFrom('run_changes as later')
      .innerJoin('runs as r', 'r.id', 'later.run_id')
      .leftJoin('runs as parent', 'parent.id', 'r.parent_run_id')
      .select(['later.run_id', 'r.kind', 'r.status', 'later.entity', 'later.op', 'later.source_id'])
      .where('r.link_id', '=', run.link_id)
      .where('r.created_at', '>', (eb) => eb.selectFrom('runs as this').select('this.created_at').where('this.id', '=', runId))
      .where('r.id', '!=', runId)
      // This run's own rollback is not a later change to it (a second rollback is refused anyway).
      .where((eb) => eb.or([eb('r.parent_run_id', 'is', null), eb('r.parent_run_id', '!=', runId)]))
      .where('r.status', '!=', 'rolled_back')
      .where((eb) => eb.or([eb('r.kind', '!=', 'rollback'), eb('parent.status', 'is', null), eb('parent.status', '!=', 'rolled_back')]))
      .where('later.status', '=', 'applied')
      .where((eb) =>
        eb.exists(
          eb
            .selectFrom('run_changes as mine')
            .select('mine.change_id')
            .where('mine.run_id', '=', runId)
            .where('mine.status', '=', 'applied')
            .whereRef('mine.entity', '=', 'later.entity')
            .where((m) => m.or([m('mine.source_id', '=', m.ref('later.source_id')), m('mine.target_id', '=', m.ref('later.target_id'))])),
        ),
      )
      .orderBy('r.created_at')
      .orderBy('later.seq')
      .limit(limit)
      .execute();
    return rows.map((r) => ({ runId: r.run_id, runKind: r.kind, runStatus: r.status, entity: r.entity as EntityCollection, op: r.op as ChangeOp, sourceId: r.source_id }));
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
