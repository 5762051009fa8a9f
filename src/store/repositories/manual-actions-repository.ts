import { sql, type Kysely, type Selectable } from 'kysely';
import { NONE } from '../none';
import type { Database, ManualWorklistTable } from '../schema';
import { AuditRepository, type Actor } from './audit-repository';
import type { PersonalDataBox } from './personal-data-box';

/**
 * `open` — waits for a person; `done` — a person marked it done (carried over to later runs);
 * `resolved` — a later plan no longer needs it: the platform shows it done.
 */
export type ManualActionStatus = 'open' | 'done' | 'resolved';

export interface ManualActionField {
  label: string;
  value: string;
  previous?: string;
}

export interface StoredManualAction {
  actionId: string;
  entity: string;
  op: string;
  sourceId: string;
  title: string;
  /** What to type in, opened from its sealed copy (an empty list once the data was purged). */
  fields: ManualActionField[];
  reason: string;
  status: ManualActionStatus;
  /** The pupil the action concerns (source id), when it concerns one. */
  pupilId?: string;
  /** Personal data of this action was removed when the store was converted (0009): the next run fills it in again. */
  redacted?: boolean;
  /** Since when the worklist has had it open (or since it was first listed). */
  firstSeenAt?: Date;
}

/** A manual action as a run's plan hands it over. */
export type NewManualAction = Omit<StoredManualAction, 'status' | 'redacted' | 'firstSeenAt'> & { targetId?: string };

/** One record of the worklist of a link: the same action across runs. */
export interface WorklistItem extends StoredManualAction {
  linkId: string;
  schoolId: string;
  targetId: string | null;
  firstRunId: string;
  lastRunId: string;
  firstSeenAt: Date;
  lastSeenAt: Date;
  doneBy: { oid: string; name: string; at: Date } | null;
  resolvedAt: Date | null;
  resolvedRunId: string | null;
}

/** Who marked a manual action done, and when. */
export interface ManualActionMark {
  actorOid: string;
  actorName: string;
  at: Date;
}

/** Audit actions of marking manual actions done and back open. */
export const MANUAL_ACTION_AUDIT: Record<'done' | 'open', string> = { done: 'manual_actions.done', open: 'manual_actions.reopened' };

export interface WorklistFilter {
  linkIds?: readonly string[];
  statuses?: readonly ManualActionStatus[];
  pupilId?: string;
  entity?: string;
  /** Only actions open at least this many days. */
  openForDays?: number;
  now?: Date;
  limit?: number;
  offset?: number;
}

/** What a plan cannot vouch for: actions it did not list but which may still be needed. */
export interface CheckOffScope {
  /** `entity\u0000sourceId` of actions left out of the plan by the guard (closed periods). */
  withheld?: ReadonlySet<string>;
  /** Archives were deferred (additions-only window): no archive is checked off. */
  archivesDeferred?: boolean;
  /**
   * The plan read only some days of these collections (an incremental read): their actions are
   * checked off only when `inScope` holds `entity\u0000sourceId`.
   */
  partlyRead?: { entities: ReadonlySet<string>; inScope: ReadonlySet<string> };
}

const CHUNK = 1000;
const aad = (linkId: string, actionId: string) => `manual_worklist/${linkId}/${actionId}`;

/**
 * Manual actions: one worklist record per link and action across runs (its data sealed with the
 * installation key, see `PersonalDataBox`), and per run the list of actions that run asked for.
 * "Done" carries over to later runs; a run whose plan no longer needs an action checks it off
 * (`resolved`); every mark by a person is audited with the state before and after.
 */
export class ManualActionsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly personal: PersonalDataBox,
  ) {}

  /**
   * Records the manual actions a run's plan asks for: each becomes (or stays) one worklist item
   * of the run's link — new data sealed, "done" kept, a checked-off one open again — and the run
   * remembers which it listed.
   */
  async add(runId: string, actions: readonly NewManualAction[]): Promise<void> {
    const run = await this.db.selectFrom('runs').select(['link_id', 'school_id']).where('id', '=', runId).executeTakeFirst();
    if (!run) throw new Error(`run ${runId} not found`);
    const now = new Date();
    for (let i = 0; i < actions.length; i += CHUNK) {
      const chunk = actions.slice(i, i + CHUNK);
      if (!chunk.length) continue;
      await this.db
        .insertInto('manual_worklist')
        .values(
          chunk.map((a) => ({
            link_id: run.link_id,
            action_id: a.actionId,
            school_id: run.school_id,
            entity: a.entity,
            op: a.op,
            source_id: a.sourceId,
            target_id: a.targetId ?? null,
            pupil_id: a.pupilId ?? null,
            title: a.title,
            reason: a.reason,
            fields: JSON.stringify(this.personal.seal(a.fields, aad(run.link_id, a.actionId))),
            first_run_id: runId,
            last_run_id: runId,
            first_seen_at: now,
            last_seen_at: now,
          })),
        )
        .onConflict((oc) =>
          oc.columns(['link_id', 'action_id']).doUpdateSet((eb) => ({
            target_id: eb.ref('excluded.target_id'),
            pupil_id: eb.ref('excluded.pupil_id'),
            title: eb.ref('excluded.title'),
            reason: eb.ref('excluded.reason'),
            fields: eb.ref('excluded.fields'),
            last_run_id: eb.ref('excluded.last_run_id'),
            last_seen_at: eb.ref('excluded.last_seen_at'),
            // Needed again after a run had checked it off: open again, counted from now.
            status: sql<string>`case when manual_worklist.status = 'resolved' then 'open' else manual_worklist.status end`,
            first_seen_at: sql<Date>`case when manual_worklist.status = 'resolved' then excluded.first_seen_at else manual_worklist.first_seen_at end`,
            resolved_at: sql<Date | null>`case when manual_worklist.status = 'resolved' then null else manual_worklist.resolved_at end`,
            resolved_run_id: sql<string | null>`case when manual_worklist.status = 'resolved' then null else manual_worklist.resolved_run_id end`,
          })),
        )
        .execute();
      await this.db
        .insertInto('manual_actions')
        .values(chunk.map((a) => ({ run_id: runId, action_id: a.actionId, entity: a.entity, op: a.op, source_id: a.sourceId, title: a.title, fields: '[]', reason: a.reason })))
        .onConflict((oc) => oc.columns(['run_id', 'action_id']).doNothing())
        .execute();
    }
  }

  /**
   * Checks off the link's open and done actions that this run's plan no longer lists: the
   * platform now has what they asked for. Actions the plan could not vouch for (withheld by the
   * guard, deferred archives) stay as they are. Returns how many were checked off.
   */
  async checkOff(runId: string, scope: CheckOffScope = {}): Promise<number> {
    const run = await this.db.selectFrom('runs').select('link_id').where('id', '=', runId).executeTakeFirst();
    if (!run) return 0;
    const listed = new Set((await this.db.selectFrom('manual_actions').select('action_id').where('run_id', '=', runId).execute()).map((r) => r.action_id));
    const candidates = await this.db
      .selectFrom('manual_worklist')
      .select(['action_id', 'entity', 'op', 'source_id'])
      .where('link_id', '=', run.link_id)
      .where('status', 'in', ['open', 'done'])
      .execute();
    const gone = candidates
      .filter((c) => !listed.has(c.action_id))
      .filter((c) => !scope.withheld?.has(`${c.entity}\u0000${c.source_id}`))
      .filter((c) => !(scope.archivesDeferred && c.op === 'archive'))
      .filter((c) => !scope.partlyRead?.entities.has(c.entity) || scope.partlyRead.inScope.has(`${c.entity}\u0000${c.source_id}`))
      .map((c) => c.action_id);
    for (let i = 0; i < gone.length; i += CHUNK) {
      await this.db
        .updateTable('manual_worklist')
        .set({ status: 'resolved', resolved_at: new Date(), resolved_run_id: runId })
        .where('link_id', '=', run.link_id)
        .where('action_id', 'in', gone.slice(i, i + CHUNK))
        .execute();
    }
    return gone.length;
  }

  /** The actions a run listed, each with its worklist state and data (opened). */
  async forRun(runId: string): Promise<StoredManualAction[]> {
    const rows = await this.db
      .selectFrom('manual_actions as m')
      .innerJoin('runs as r', 'r.id', 'm.run_id')
      .leftJoin('manual_worklist as w', (j) => j.onRef('w.link_id', '=', 'r.link_id').onRef('w.action_id', '=', 'm.action_id'))
      .select(['r.link_id', 'm.action_id', 'm.entity', 'm.op', 'm.source_id', 'm.title', 'm.reason', 'm.status as run_status', 'm.fields as run_fields', 'w.fields', 'w.status', 'w.pupil_id', 'w.first_seen_at'])
      .where('m.run_id', '=', runId)
      .orderBy('m.entity')
      .orderBy('m.action_id')
      .execute();
    return rows.map((r) => {
      const stored = r.fields ?? r.run_fields;
      const fields = this.openFields(r.link_id, r.action_id, stored);
      return {
        actionId: r.action_id,
        entity: r.entity,
        op: r.op,
        sourceId: r.source_id,
        title: r.title,
        fields,
        reason: r.reason,
        status: (r.status ?? r.run_status) as ManualActionStatus,
        ...(r.pupil_id ? { pupilId: r.pupil_id } : {}),
        ...(r.fields !== null && !isSealedValue(r.fields) ? { redacted: true } : {}),
        ...(r.first_seen_at ? { firstSeenAt: new Date(r.first_seen_at) } : {}),
      };
    });
  }

  /** The worklist of links: open first, oldest first. */
  async worklist(filter: WorklistFilter = {}): Promise<{ rows: WorklistItem[]; total: number }> {
    let q = this.db.selectFrom('manual_worklist');
    if (filter.linkIds) q = q.where('link_id', 'in', filter.linkIds.length ? [...filter.linkIds] : [NONE]);
    if (filter.statuses?.length) q = q.where('status', 'in', [...filter.statuses]);
    if (filter.pupilId) q = q.where('pupil_id', '=', filter.pupilId);
    if (filter.entity) q = q.where('entity', '=', filter.entity);
    if (filter.openForDays !== undefined) {
      const before = new Date((filter.now ?? new Date()).getTime() - filter.openForDays * 86_400_000);
      q = q.where('status', '=', 'open').where('first_seen_at', '<=', before);
    }
    const [{ n }] = await q.select(sql<string>`count(*)`.as('n')).execute();
    const rows = await q
      .selectAll()
      .orderBy(sql`case status when 'open' then 0 when 'done' then 1 else 2 end`)
      .orderBy('first_seen_at')
      .orderBy('action_id')
      .limit(filter.limit ?? 500)
      .offset(filter.offset ?? 0)
      .execute();
    return { rows: rows.map((r) => this.toItem(r)), total: Number(n) };
  }

  /** One worklist item. */
  async item(linkId: string, actionId: string): Promise<WorklistItem | null> {
    const r = await this.db.selectFrom('manual_worklist').selectAll().where('link_id', '=', linkId).where('action_id', '=', actionId).executeTakeFirst();
    return r ? this.toItem(r) : null;
  }

  /**
   * Marks actions of a run done (or open again): the worklist items of the run's link (so the
   * mark carries over to later runs) and the run's own list. One audit row with who, which ids
   * and each one's state before and after, in the same transaction. Ids the run did not list are
   * never touched. Returns how many changed; nothing changed → no audit row.
   */
  async setStatus(runId: string, actionIds: readonly string[], status: 'open' | 'done', actor: Actor): Promise<number> {
    const ids = [...new Set(actionIds)];
    if (!ids.length) return 0;
    return this.db.transaction().execute(async (tx) => {
      const run = await tx.selectFrom('runs').select(['link_id', 'school_id']).where('id', '=', runId).executeTakeFirst();
      if (!run) return 0;
      const before = new Map<string, string>();
      for (let i = 0; i < ids.length; i += CHUNK) {
        const rows = await tx
          .selectFrom('manual_actions as m')
          .leftJoin('manual_worklist as w', (j) => j.on('w.link_id', '=', run.link_id).onRef('w.action_id', '=', 'm.action_id'))
          .select(['m.action_id', 'm.status as run_status', 'w.status'])
          .where('m.run_id', '=', runId)
          .where('m.action_id', 'in', ids.slice(i, i + CHUNK))
          .execute();
        for (const r of rows) if ((r.status ?? r.run_status) !== status) before.set(r.action_id, r.status ?? r.run_status);
      }
      const changed = [...before.keys()].sort();
      if (!changed.length) return 0;
      const at = new Date();
      for (let i = 0; i < changed.length; i += CHUNK) {
        const chunk = changed.slice(i, i + CHUNK);
        await tx.updateTable('manual_actions').set({ status }).where('run_id', '=', runId).where('action_id', 'in', chunk).execute();
        await tx
          .updateTable('manual_worklist')
          .set(status === 'done' ? { status, done_by_oid: actor.actorOid, done_by_name: actor.actorName, done_at: at, resolved_at: null, resolved_run_id: null } : { status, done_by_oid: null, done_by_name: null, done_at: null, resolved_at: null, resolved_run_id: null })
          .where('link_id', '=', run.link_id)
          .where('action_id', 'in', chunk)
          .execute();
      }
      const states = [...new Set(before.values())];
      await new AuditRepository(tx).append({
        ...actor,
        action: MANUAL_ACTION_AUDIT[status],
        objectType: 'run',
        objectId: runId,
        schoolId: run.school_id,
        details: { count: changed.length, actionIds: changed, before: states.length === 1 ? states[0] : Object.fromEntries(before), after: status },
      });
      return changed.length;
    });
  }

  /** How many actions of the run are still open (in the worklist's state). */
  async openCount(runId: string): Promise<number> {
    const r = await this.db
      .selectFrom('manual_actions as m')
      .innerJoin('runs as r', 'r.id', 'm.run_id')
      .leftJoin('manual_worklist as w', (j) => j.onRef('w.link_id', '=', 'r.link_id').onRef('w.action_id', '=', 'm.action_id'))
      .select(sql<string>`count(*)`.as('n'))
      .where('m.run_id', '=', runId)
      .where(sql<boolean>`coalesce(w.status, m.status) = 'open'`)
      .executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Who marked each done action of the run done and when (the worklist keeps the latest mark). */
  async doneMarks(runId: string): Promise<Map<string, ManualActionMark>> {
    const rows = await this.db
      .selectFrom('manual_actions as m')
      .innerJoin('runs as r', 'r.id', 'm.run_id')
      .innerJoin('manual_worklist as w', (j) => j.onRef('w.link_id', '=', 'r.link_id').onRef('w.action_id', '=', 'm.action_id'))
      .select(['m.action_id', 'w.done_by_oid', 'w.done_by_name', 'w.done_at'])
      .where('m.run_id', '=', runId)
      .where('w.status', '=', 'done')
      .execute();
    const marks = new Map<string, ManualActionMark>();
    for (const r of rows) if (r.done_by_oid && r.done_at) marks.set(r.action_id, { actorOid: r.done_by_oid, actorName: r.done_by_name ?? '', at: new Date(r.done_at) });
    return marks;
  }

  private openFields(linkId: string, actionId: string, stored: unknown): ManualActionField[] {
    const opened = this.personal.open<unknown>(stored, aad(linkId, actionId));
    return Array.isArray(opened) ? (opened as ManualActionField[]) : [];
  }

  private toItem(r: Selectable<ManualWorklistTable>): WorklistItem {
    return {
      linkId: r.link_id,
      schoolId: r.school_id,
      actionId: r.action_id,
      entity: r.entity,
      op: r.op,
      sourceId: r.source_id,
      targetId: r.target_id,
      title: r.title,
      reason: r.reason,
      fields: this.openFields(r.link_id, r.action_id, r.fields),
      status: r.status as ManualActionStatus,
      ...(r.pupil_id ? { pupilId: r.pupil_id } : {}),
      ...(!isSealedValue(r.fields) ? { redacted: true } : {}),
      firstRunId: r.first_run_id,
      lastRunId: r.last_run_id,
      firstSeenAt: new Date(r.first_seen_at),
      lastSeenAt: new Date(r.last_seen_at),
      doneBy: r.done_by_oid && r.done_at ? { oid: r.done_by_oid, name: r.done_by_name ?? '', at: new Date(r.done_at) } : null,
      resolvedAt: r.resolved_at ? new Date(r.resolved_at) : null,
      resolvedRunId: r.resolved_run_id,
    };
  }
}

function isSealedValue(v: unknown): boolean {
  return !!v && typeof v === 'object' && 'sealed' in (v as object);
}
