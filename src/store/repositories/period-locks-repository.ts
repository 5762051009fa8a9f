import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { AuditRepository, type Actor } from './audit-repository';

/** A reporting period a person closed in ejsync. */
export interface PeriodLock {
  linkId: string;
  /** The period's id in the source (МИС). */
  periodId: string;
  reason: string;
  closedByOid: string;
  closedByName: string;
  closedAt: Date;
}

/** Periods closed by order in ejsync, per link; every close and reopen audited in the same transaction. */
export class PeriodLocksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async forLink(linkId: string): Promise<PeriodLock[]> {
    const rows = await this.db.selectFrom('period_locks').selectAll().where('link_id', '=', linkId).orderBy('period_id').execute();
    return rows.map((r) => ({ linkId: r.link_id, periodId: r.period_id, reason: r.reason, closedByOid: r.closed_by_oid, closedByName: r.closed_by_name, closedAt: r.closed_at }));
  }

  /** Closes a period (again: keeps the first closing); returns false when it was already closed. */
  async close(linkId: string, periodId: string, reason: string, actor: Actor, schoolId?: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const inserted = await tx
        .insertInto('period_locks')
        .values({ link_id: linkId, period_id: periodId, reason, closed_by_oid: actor.actorOid, closed_by_name: actor.actorName })
        .onConflict((oc) => oc.columns(['link_id', 'period_id']).doNothing())
        .executeTakeFirst();
      const done = Number(inserted.numInsertedOrUpdatedRows ?? 0) > 0;
      if (done) await new AuditRepository(tx).append({ ...actor, action: 'period.closed', objectType: 'period', objectId: `${linkId}/${periodId}`, schoolId, details: { linkId, periodId, reason, before: { closed: false }, after: { closed: true } } });
      return done;
    });
  }

  /** Reopens a period; returns false when it was not closed in ejsync. */
  async reopen(linkId: string, periodId: string, reason: string, actor: Actor, schoolId?: string): Promise<boolean> {
    return this.db.transaction().execute(async (tx) => {
      const removed = await tx.deleteFrom('period_locks').where('link_id', '=', linkId).where('period_id', '=', periodId).returningAll().executeTakeFirst();
      if (removed) {
        await new AuditRepository(tx).append({
          ...actor,
          action: 'period.reopened',
          objectType: 'period',
          objectId: `${linkId}/${periodId}`,
          schoolId,
          details: { linkId, periodId, reason, closedBy: removed.closed_by_name, closedAt: removed.closed_at.toISOString(), closeReason: removed.reason, before: { closed: true }, after: { closed: false } },
        });
      }
      return !!removed;
    });
  }
}
