import { sql, type Kysely } from 'kysely';
import type { Finding } from '../../model';
import type { Database } from '../schema';
import { AuditRepository, type Actor } from './audit-repository';

/** "Last clean run" and other per-link positions; advanced only by an explicit call on a clean run. */
export class CursorsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(linkId: string, name: string): Promise<string | null> {
    const r = await this.db.selectFrom('cursors').select('value').where('link_id', '=', linkId).where('name', '=', name).executeTakeFirst();
    return r?.value ?? null;
  }

  async advance(linkId: string, name: string, value: string, runId: string): Promise<void> {
    await this.db
      .insertInto('cursors')
      .values({ link_id: linkId, name, value, run_id: runId })
      .onConflict((oc) => oc.columns(['link_id', 'name']).doUpdateSet({ value, run_id: runId, updated_at: new Date() }))
      .execute();
  }
}

export interface StoredFinding extends Finding {
  runId: string;
}

export class FindingsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(runId: string, findings: readonly Finding[]): Promise<void> {
    for (let i = 0; i < findings.length; i += 1000) {
      const rows = findings.slice(i, i + 1000).map((f) => ({
        run_id: runId,
        code: f.code,
        severity: f.severity,
        entity: f.entity ?? null,
        source_id: f.sourceId ?? null,
        file: f.file ?? null,
        row_number: f.row ?? null,
        field: f.field ?? null,
        message: f.message,
        hint: f.hint,
      }));
      if (rows.length) await this.db.insertInto('findings').values(rows).execute();
    }
  }

  async forRun(runId: string, limit = 10_000): Promise<StoredFinding[]> {
    const rows = await this.db.selectFrom('findings').selectAll().where('run_id', '=', runId).orderBy('id').limit(limit).execute();
    return rows.map((r) => ({
      runId: r.run_id,
      code: r.code as Finding['code'],
      severity: r.severity as Finding['severity'],
      message: r.message,
      hint: r.hint,
      ...(r.entity ? { entity: r.entity as Finding['entity'] } : {}),
      ...(r.source_id ? { sourceId: r.source_id } : {}),
      ...(r.file ? { file: r.file } : {}),
      ...(r.row_number !== null ? { row: r.row_number } : {}),
      ...(r.field ? { field: r.field } : {}),
    }));
  }
}

export type ManualActionStatus = 'open' | 'done';

export interface StoredManualAction {
  actionId: string;
  entity: string;
  op: string;
  sourceId: string;
  title: string;
  fields: { label: string; value: string; previous?: string }[];
  reason: string;
  status: ManualActionStatus;
}

/** Who marked a manual action done, and when (from the audit trail). */
export interface ManualActionMark {
  actorOid: string;
  actorName: string;
  at: Date;
}

/** Audit actions of marking manual actions done and back open. */
export const MANUAL_ACTION_AUDIT: Record<ManualActionStatus, string> = { done: 'manual_actions.done', open: 'manual_actions.reopened' };

const ID_CHUNK = 1000;

export class ManualActionsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async add(runId: string, actions: readonly Omit<StoredManualAction, 'status'>[]): Promise<void> {
    for (let i = 0; i < actions.length; i += 1000) {
      const rows = actions.slice(i, i + 1000).map((a) => ({
        run_id: runId,
        action_id: a.actionId,
        entity: a.entity,
        op: a.op,
        source_id: a.sourceId,
        title: a.title,
        fields: JSON.stringify(a.fields),
        reason: a.reason,
      }));
      if (rows.length) await this.db.insertInto('manual_actions').values(rows).onConflict((oc) => oc.columns(['run_id', 'action_id']).doNothing()).execute();
    }
  }

  async forRun(runId: string): Promise<StoredManualAction[]> {
    const rows = await this.db.selectFrom('manual_actions').selectAll().where('run_id', '=', runId).orderBy('entity').orderBy('action_id').execute();
    return rows.map((r) => ({ actionId: r.action_id, entity: r.entity, op: r.op, sourceId: r.source_id, title: r.title, fields: r.fields as StoredManualAction['fields'], reason: r.reason, status: r.status as ManualActionStatus }));
  }

  /**
   * Marks actions of a run done (or open again): one UPDATE of those not already in `status`,
   * and one audit row (who, when, how many, which ids) in the same transaction. Ids of other
   * runs are never touched. Returns how many changed; nothing changed → no audit row.
   */
  async setStatus(runId: string, actionIds: readonly string[], status: ManualActionStatus, actor: Actor): Promise<number> {
    const ids = [...new Set(actionIds)];
    if (!ids.length) return 0;
    return this.db.transaction().execute(async (tx) => {
      const changed: string[] = [];
      for (let i = 0; i < ids.length; i += ID_CHUNK) {
        const rows = await tx
          .updateTable('manual_actions')
          .set({ status })
          .where('run_id', '=', runId)
          .where('action_id', 'in', ids.slice(i, i + ID_CHUNK))
          .where('status', '<>', status)
          .returning('action_id')
          .execute();
        changed.push(...rows.map((r) => r.action_id));
      }
      if (!changed.length) return 0;
      const run = await tx.selectFrom('runs').select('school_id').where('id', '=', runId).executeTakeFirst();
      await new AuditRepository(tx).append({
        ...actor,
        action: MANUAL_ACTION_AUDIT[status],
        objectType: 'run',
        objectId: runId,
        ...(run ? { schoolId: run.school_id } : {}),
        details: { count: changed.length, actionIds: changed.sort() },
      });
      return changed.length;
    });
  }

  /** How many actions of the run are still open. */
  async openCount(runId: string): Promise<number> {
    const r = await this.db.selectFrom('manual_actions').select(sql<string>`count(*)`.as('n')).where('run_id', '=', runId).where('status', '=', 'open').executeTakeFirstOrThrow();
    return Number(r.n);
  }

  /** Who marked each done action of the run done and when: the latest mark not reopened since (replayed from the audit). */
  async doneMarks(runId: string): Promise<Map<string, ManualActionMark>> {
    const rows = await this.db
      .selectFrom('audit')
      .select(['at', 'actor_oid', 'actor_name', 'action', 'details'])
      .where('object_type', '=', 'run')
      .where('object_id', '=', runId)
      .where('action', 'in', Object.values(MANUAL_ACTION_AUDIT))
      .orderBy('id')
      .execute();
    const marks = new Map<string, ManualActionMark>();
    for (const r of rows) {
      const ids = (r.details as { actionIds?: unknown }).actionIds;
      if (!Array.isArray(ids)) continue;
      for (const id of ids) {
        if (r.action === MANUAL_ACTION_AUDIT.done) marks.set(String(id), { actorOid: r.actor_oid, actorName: r.actor_name, at: new Date(r.at) });
        else marks.delete(String(id));
      }
    }
    return marks;
  }
}
