import { sql, type Kysely } from 'kysely';
import type { Finding } from '../../model';
import type { Database } from '../schema';

/** "Last clean run" and other per-link positions; advanced only by an explicit call on a clean run. */
export class CursorsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async get(linkId: string, name: string): Promise<string | null> {
    const r = await this.db.selectFrom('cursors').select('value').where('link_id', '=', linkId).where('name', '=', name).executeTakeFirst();
    return r?.value ?? null;
  }

  /**
   * Adds one to a numeric cursor and returns the new value, atomically across processes (a
   * link's exchange package sequence number). Starts at 1.
   */
  async increment(linkId: string, name: string): Promise<number> {
    const row = await this.db
      .insertInto('cursors')
      .values({ link_id: linkId, name, value: '1', run_id: null })
      .onConflict((oc) => oc.columns(['link_id', 'name']).doUpdateSet({ value: sql<string>`(cast(cursors.value as bigint) + 1)::text`, updated_at: new Date() }))
      .returning('value')
      .executeTakeFirstOrThrow();
    return Number(row.value);
  }

  /** A cursor with the run that set it. */
  async entry(linkId: string, name: string): Promise<{ value: string; runId: string | null } | null> {
    const r = await this.db.selectFrom('cursors').select(['value', 'run_id']).where('link_id', '=', linkId).where('name', '=', name).executeTakeFirst();
    return r ? { value: r.value, runId: r.run_id } : null;
  }

  async clear(linkId: string, name: string): Promise<void> {
    await this.db.deleteFrom('cursors').where('link_id', '=', linkId).where('name', '=', name).execute();
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

export {
  ManualActionsRepository,
  MANUAL_ACTION_AUDIT,
  type CheckOffScope,
  type ManualActionField,
  type ManualActionMark,
  type ManualActionStatus,
  type NewManualAction,
  type StoredManualAction,
  type WorklistFilter,
  type WorklistItem,
} from './manual-actions-repository';
