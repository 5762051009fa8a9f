import { sql, type Kysely, type Transaction } from 'kysely';
import { EjsyncError } from '../../model';
import { NONE } from '../none';
import type { Database } from '../schema';
import { AuditRepository, SYSTEM_ACTOR, type Actor } from './audit-repository';

export type PeopleLinkStatus = 'linked' | 'pending' | 'rejected';

/** Which school record an ЕСИА account is (or may be) linked to. */
export interface PeopleLinkKey {
  oid: string;
  kind: 'staff' | 'guardian';
  schoolId: string;
  sourceId: string;
}

/** What sign-in decided for one matched record (see `linkDecisions` in reconcile/identity). */
export interface PeopleLinkDecision {
  kind: 'staff' | 'guardian';
  schoolId: string;
  sourceId: string;
  matchedBy: string;
  status: 'linked' | 'pending';
  reason?: string;
  childrenConfirmed?: boolean;
}

export interface PeopleLinkRecord extends PeopleLinkKey {
  matchedBy: string;
  status: PeopleLinkStatus;
  /** Why it waits for an operator: `ambiguous`, `untrusted`, `children_mismatch`. */
  reason?: string;
  /** `system`, or the oid of the operator who decided. */
  decidedBy?: string;
  createdAt: Date;
  updatedAt: Date;
}

function toRecord(r: { oid: string; kind: string; school_id: string; source_id: string; matched_by: string; status: string; reason: string | null; decided_by: string | null; created_at: Date | string; updated_at: Date | string }): PeopleLinkRecord {
  return {
    oid: r.oid,
    kind: r.kind as PeopleLinkKey['kind'],
    schoolId: r.school_id,
    sourceId: r.source_id,
    matchedBy: r.matched_by,
    status: r.status as PeopleLinkStatus,
    ...(r.reason ? { reason: r.reason } : {}),
    ...(r.decided_by ? { decidedBy: r.decided_by } : {}),
    createdAt: new Date(r.created_at),
    updatedAt: new Date(r.updated_at),
  };
}

/**
 * Links of ЕСИА accounts to staff and guardian records, and their state: `linked`, `pending`
 * (ambiguous, unconfirmed account, or ЕСИА's children contradicting the match — an operator
 * decides) or `rejected`. Every change is audited in the same transaction. An operator's decision
 * is final for sign-in: later sign-ins never change a link an operator confirmed or rejected.
 */
export class PeopleLinksRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /**
   * Records what a sign-in decided. New matches are inserted; a link the system made earlier
   * follows the new evidence (pending → linked once the account is confirmed, linked → pending
   * when a second record now matches); operators' decisions stay. Returns the rows that changed.
   */
  async record(oid: string, decisions: readonly PeopleLinkDecision[]): Promise<PeopleLinkRecord[]> {
    if (!decisions.length) return [];
    return this.db.transaction().execute(async (tx) => {
      const changed: PeopleLinkRecord[] = [];
      for (const d of decisions) {
        const key = { oid, kind: d.kind, school_id: d.schoolId, source_id: d.sourceId };
        const inserted = await tx
          .insertInto('people_links')
          .values({ ...key, matched_by: d.matchedBy, status: d.status, reason: d.reason ?? null, decided_by: SYSTEM_ACTOR.actorOid })
          .onConflict((oc) => oc.columns(['oid', 'kind', 'school_id', 'source_id']).doNothing())
          .returningAll()
          .executeTakeFirst();
        let row = inserted;
        if (!row) {
          const current = await this.select(tx, { oid, kind: d.kind, schoolId: d.schoolId, sourceId: d.sourceId }).forUpdate().executeTakeFirstOrThrow();
          const byOperator = current.decided_by !== SYSTEM_ACTOR.actorOid;
          if (byOperator || current.status === 'rejected') continue;
          if (current.status === d.status && (current.reason ?? undefined) === d.reason && current.matched_by === d.matchedBy) continue;
          row = await tx
            .updateTable('people_links')
            .set({ status: d.status, reason: d.reason ?? null, matched_by: d.matchedBy, updated_at: sql<Date>`now()` })
            .where('oid', '=', oid)
            .where('kind', '=', d.kind)
            .where('school_id', '=', d.schoolId)
            .where('source_id', '=', d.sourceId)
            .returningAll()
            .executeTakeFirstOrThrow();
        }
        await new AuditRepository(tx).append({
          ...SYSTEM_ACTOR,
          action: d.status === 'linked' ? 'identity.linked' : 'identity.link_held',
          objectType: 'people_link',
          objectId: oid,
          schoolId: d.schoolId,
          details: {
            kind: d.kind,
            sourceId: d.sourceId,
            matchedBy: d.matchedBy,
            ...(d.reason ? { reason: d.reason } : {}),
            ...(d.childrenConfirmed !== undefined ? { childrenConfirmed: d.childrenConfirmed } : {}),
          },
        });
        changed.push(toRecord(row));
      }
      return changed;
    });
  }

  /** Links waiting for an operator, oldest first; `schoolIds` limits them to those schools. */
  async listPending(filter: { schoolIds?: readonly string[]; limit?: number } = {}): Promise<PeopleLinkRecord[]> {
    let q = this.db.selectFrom('people_links').selectAll().where('status', '=', 'pending');
    if (filter.schoolIds) q = q.where('school_id', 'in', filter.schoolIds.length ? [...filter.schoolIds] : [NONE]);
    const rows = await q.orderBy('updated_at').orderBy('oid').orderBy('school_id').orderBy('kind').orderBy('source_id').limit(filter.limit ?? 200).execute();
    return rows.map(toRecord);
  }

  /** An operator confirms a link (pending or rejected → linked). Audited with who and why. */
  confirm(key: PeopleLinkKey, actor: Actor, reason?: string): Promise<PeopleLinkRecord> {
    return this.decide(key, 'linked', actor, reason);
  }

  /** An operator rejects a link (pending or linked → rejected); sign-in never links it again. Audited. */
  reject(key: PeopleLinkKey, actor: Actor, reason?: string): Promise<PeopleLinkRecord> {
    return this.decide(key, 'rejected', actor, reason);
  }

  /** Current links of an account (`linked` only unless asked). */
  async linksOf(oid: string, status: PeopleLinkStatus = 'linked'): Promise<PeopleLinkRecord[]> {
    const rows = await this.db.selectFrom('people_links').selectAll().where('oid', '=', oid).where('status', '=', status).orderBy('school_id').orderBy('kind').orderBy('source_id').execute();
    return rows.map(toRecord);
  }

  /** Every link of an account whatever its state (for an operator's view). */
  async allOf(oid: string): Promise<PeopleLinkRecord[]> {
    const rows = await this.db.selectFrom('people_links').selectAll().where('oid', '=', oid).orderBy('school_id').orderBy('kind').orderBy('source_id').execute();
    return rows.map(toRecord);
  }

  /**
   * The pupils of the guardian records an account is linked to, from the current person
   * directory (a pupil the МИС no longer links to the guardian is gone at the next read).
   */
  async childrenOf(oid: string): Promise<{ schoolId: string; pupilId: string }[]> {
    const rows = await this.db
      .selectFrom('people_links as l')
      .innerJoin('person_directory as d', (j) => j.onRef('d.school_id', '=', 'l.school_id').onRef('d.kind', '=', 'l.kind').onRef('d.source_id', '=', 'l.source_id'))
      .select(['l.school_id', 'd.children'])
      .where('l.oid', '=', oid)
      .where('l.kind', '=', 'guardian')
      .where('l.status', '=', 'linked')
      .execute();
    const out = new Map<string, { schoolId: string; pupilId: string }>();
    for (const r of rows) for (const c of r.children as { pupilId: string }[]) out.set(`${r.school_id}/${c.pupilId}`, { schoolId: r.school_id, pupilId: c.pupilId });
    return [...out.values()].sort((a, b) => a.schoolId.localeCompare(b.schoolId) || a.pupilId.localeCompare(b.pupilId));
  }

  private select(db: Kysely<Database> | Transaction<Database>, key: PeopleLinkKey) {
    return db
      .selectFrom('people_links')
      .selectAll()
      .where('oid', '=', key.oid)
      .where('kind', '=', key.kind)
      .where('school_id', '=', key.schoolId)
      .where('source_id', '=', key.sourceId);
  }

  private async decide(key: PeopleLinkKey, to: 'linked' | 'rejected', actor: Actor, reason?: string): Promise<PeopleLinkRecord> {
    return this.db.transaction().execute(async (tx) => {
      const current = await this.select(tx, key).forUpdate().executeTakeFirst();
      if (!current) throw new EjsyncError('store.not_found', { detail: `связь учётной записи ЕСИА ${key.oid} с записью ${key.sourceId} школы ${key.schoolId}` });
      if (current.status === to && current.decided_by === actor.actorOid) return toRecord(current);
      const row = await tx
        .updateTable('people_links')
        .set({ status: to, reason: null, decided_by: actor.actorOid, updated_at: sql<Date>`now()` })
        .where('oid', '=', key.oid)
        .where('kind', '=', key.kind)
        .where('school_id', '=', key.schoolId)
        .where('source_id', '=', key.sourceId)
        .returningAll()
        .executeTakeFirstOrThrow();
      await new AuditRepository(tx).append({
        ...actor,
        action: to === 'linked' ? 'identity.link_confirmed' : 'identity.link_rejected',
        objectType: 'people_link',
        objectId: key.oid,
        schoolId: key.schoolId,
        details: { kind: key.kind, sourceId: key.sourceId, matchedBy: current.matched_by, previous: current.status, ...(current.reason ? { heldFor: current.reason } : {}), ...(reason ? { reason } : {}) },
      });
      return toRecord(row);
    });
  }
}
