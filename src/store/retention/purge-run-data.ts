import { sql, type Kysely } from 'kysely';
import type { Database } from '../schema';
import { AuditRepository, type Actor } from '../repositories/audit-repository';
import { purgeExports } from '../repositories/exports-repository';

/** How long ejsync keeps what it copied from the school (152-ФЗ: no longer than needed). */
export interface DataRetention {
  /**
   * Days after a run finished that its copies of personal data are kept — records before and
   * after each change (names, birth dates, values) and manual actions' fields. Long enough to
   * roll back and to answer questions about the school year.
   * @defaultValue 400
   */
  personalDataDays: number;
  /**
   * Years a finished run is kept at all — with its delivery log (ids only), findings and audit
   * trail: the regulations keep the journal's history five years.
   * @defaultValue 5
   */
  runYears: number;
  /**
   * Uploaded exports kept per link (the newest); older ones go unless an unsettled run planned from them.
   * @defaultValue 5
   */
  exportsPerLink?: number;
}

export const DEFAULT_DATA_RETENTION: DataRetention = { personalDataDays: 400, runYears: 5, exportsPerLink: 5 };

export interface PurgeResult {
  /** Runs whose personal data was removed now. */
  redactedRuns: number;
  /** Runs removed whole (with their changes, delivery log, findings and manual actions). */
  deletedRuns: number;
  /** Worklist actions resolved before the window whose sealed fields (names, values) were emptied. */
  redactedWorklist: number;
  /** Rosters (sealed names of a link's school) not refreshed within the window: the link no longer syncs. */
  deletedRosters: number;
  /** Uploaded exports beyond the newest `exportsPerLink` of their link, planned from by no unsettled run. */
  deletedExports: number;
}

const SETTLED = ['succeeded', 'partial', 'failed', 'cancelled', 'discarded', 'rolled_back', 'superseded'];

/**
 * Applies the retention policy, in one transaction, audited with what was removed: finished runs
 * older than `personalDataDays` lose the personal data of their changes and manual actions (ids,
 * counts and the delivery log stay); finished runs older than `runYears` go whole. Worklist actions
 * resolved before the window lose their sealed fields, and a link's roster not refreshed within it
 * (the link no longer syncs) goes. Runs still in progress or held, open or done-but-unchecked
 * actions are never touched. Returns what it did.
 */
export async function purgeRunData(db: Kysely<Database>, actor: Actor, now = new Date(), retention: DataRetention = DEFAULT_DATA_RETENTION): Promise<PurgeResult> {
  const redactBefore = new Date(now.getTime() - retention.personalDataDays * 86_400_000);
  const deleteBefore = new Date(now);
  deleteBefore.setUTCFullYear(deleteBefore.getUTCFullYear() - retention.runYears);
  return db.transaction().execute(async (tx) => {
    const old = await tx.selectFrom('runs').select('id').where('status', 'in', SETTLED).where('finished_at', '<', deleteBefore).execute();
    const oldIds = old.map((r) => r.id);
    for (let i = 0; i < oldIds.length; i += 500) {
      const ids = oldIds.slice(i, i + 500);
      await tx.deleteFrom('run_changes').where('run_id', 'in', ids).execute();
      await tx.deleteFrom('deliveries').where('run_id', 'in', ids).execute();
      await tx.deleteFrom('findings').where('run_id', 'in', ids).execute();
      await tx.deleteFrom('manual_actions').where('run_id', 'in', ids).execute();
      // A run's rollback points at it: keep the rollback, forget the pointer.
      await tx.updateTable('runs').set({ parent_run_id: null }).where('parent_run_id', 'in', ids).execute();
      await tx.deleteFrom('runs').where('id', 'in', ids).execute();
    }
    const toRedact = await tx
      .selectFrom('runs')
      .select('id')
      .where('status', 'in', SETTLED)
      .where('finished_at', '<', redactBefore)
      .where('personal_data_purged_at', 'is', null)
      .execute();
    const redactIds = toRedact.map((r) => r.id);
    for (let i = 0; i < redactIds.length; i += 500) {
      const ids = redactIds.slice(i, i + 500);
      await tx.updateTable('run_changes').set({ before: null, after: null, delivered: null }).where('run_id', 'in', ids).execute();
      await tx.updateTable('manual_actions').set({ fields: '[]' }).where('run_id', 'in', ids).execute();
      await tx.updateTable('runs').set({ personal_data_purged_at: sql`now()` as never }).where('id', 'in', ids).execute();
    }
    const worklist = await tx
      .updateTable('manual_worklist')
      .set({ fields: '[]' })
      .where('status', '=', 'resolved')
      .where('resolved_at', '<', redactBefore)
      .where(sql<boolean>`fields <> '[]'::jsonb`)
      .executeTakeFirst();
    const redactedWorklist = Number(worklist.numUpdatedRows);
    const rosters = await tx.deleteFrom('school_rosters').where('refreshed_at', '<', redactBefore).executeTakeFirst();
    const deletedRosters = Number(rosters.numDeletedRows);
    const deletedExports = await purgeExports(tx, retention.exportsPerLink ?? DEFAULT_DATA_RETENTION.exportsPerLink!);
    if (oldIds.length || redactIds.length || redactedWorklist || deletedRosters || deletedExports) {
      await new AuditRepository(tx).append({
        ...actor,
        action: 'retention.purged',
        objectType: 'store',
        details: { redactedRuns: redactIds.length, deletedRuns: oldIds.length, redactedWorklist, deletedRosters, deletedExports, personalDataDays: retention.personalDataDays, runYears: retention.runYears },
      });
    }
    return { redactedRuns: redactIds.length, deletedRuns: oldIds.length, redactedWorklist, deletedRosters, deletedExports };
  });
}
