import { sql, type Kysely, type Transaction } from 'kysely';
import { NONE } from '../none';
import type { Database } from '../schema';
import { AUDIT_CHAIN_START, auditRowHash } from './audit-chain';

/** Who did something: an ЕСИА identity, or the system itself (`system`). */
export interface Actor {
  actorOid: string;
  actorName: string;
}

export const SYSTEM_ACTOR: Actor = { actorOid: 'system', actorName: 'ejsync' };

export interface AuditEntry extends Actor {
  action: string;
  objectType: string;
  objectId?: string;
  schoolId?: string;
  details?: Record<string, unknown>;
}

export interface AuditRecord extends AuditEntry {
  id: string;
  at: Date;
}

/** What `verifyChain` found: the first row that does not fit, if any. */
export interface AuditChainReport {
  rows: number;
  /** Hash of the last row: record it elsewhere to notice a cut-off tail. */
  head: string;
  broken: { id: string; at: Date; action: string; reason: 'hash' | 'link' | 'unchained' } | null;
}

/** Audit writers take turns (one chain): a transaction-scoped advisory lock with this key. */
const CHAIN_LOCK = 0x656a_6175; // "ejau"

/**
 * The audit trail: append-only, every row chained to the one before by a SHA-256 hash (migration
 * 0011), so that `ejsync audit verify` finds a changed, removed or reordered row.
 */
export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(entry: AuditEntry): Promise<void> {
    const write = async (tx: Kysely<Database>) => {
      await sql`select pg_advisory_xact_lock(${CHAIN_LOCK})`.execute(tx);
      const last = await tx.selectFrom('audit').select('hash').orderBy('id', 'desc').limit(1).executeTakeFirst();
      const prev = last?.hash ?? AUDIT_CHAIN_START;
      const details = JSON.parse(JSON.stringify(entry.details ?? {})) as Record<string, unknown>;
      const row = {
        at: new Date(),
        actorOid: entry.actorOid,
        actorName: entry.actorName,
        action: entry.action,
        objectType: entry.objectType,
        objectId: entry.objectId ?? null,
        schoolId: entry.schoolId ?? null,
        details,
      };
      await tx
        .insertInto('audit')
        .values({
          at: row.at,
          actor_oid: row.actorOid,
          actor_name: row.actorName,
          action: row.action,
          object_type: row.objectType,
          object_id: row.objectId,
          school_id: row.schoolId,
          details: JSON.stringify(details),
          prev_hash: prev,
          hash: auditRowHash(prev, row),
        })
        .execute();
    };
    if (this.db.isTransaction) await write(this.db as Transaction<Database>);
    else await this.db.transaction().execute(write);
  }

  async list(filter: { schoolIds?: string[]; limit?: number; offset?: number } = {}): Promise<AuditRecord[]> {
    let q = this.db.selectFrom('audit').selectAll();
    if (filter.schoolIds) q = q.where((eb) => eb.or([eb('school_id', 'in', filter.schoolIds!.length ? filter.schoolIds! : [NONE])]));
    const rows = await q.orderBy('at', 'desc').orderBy('id', 'desc').limit(filter.limit ?? 100).offset(filter.offset ?? 0).execute();
    return rows.map((r) => ({
      id: r.id,
      at: new Date(r.at),
      actorOid: r.actor_oid,
      actorName: r.actor_name,
      action: r.action,
      objectType: r.object_type,
      objectId: r.object_id ?? undefined,
      schoolId: r.school_id ?? undefined,
      details: r.details,
    }));
  }

  /** Recomputes the chain from the first row (in batches): the first row whose hash or link does not fit breaks it. */
  async verifyChain(batch = 5000): Promise<AuditChainReport> {
    let prev = AUDIT_CHAIN_START;
    let rows = 0;
    let after = '0';
    for (;;) {
      const page = await this.db
        .selectFrom('audit')
        .selectAll()
        .where(sql<boolean>`id > ${after}::bigint`)
        .orderBy('id')
        .limit(batch)
        .execute();
      for (const r of page) {
        const broken = (reason: 'hash' | 'link' | 'unchained') => ({ rows, head: prev, broken: { id: String(r.id), at: new Date(r.at), action: r.action, reason } });
        if (!r.hash || !r.prev_hash) return broken('unchained');
        if (r.prev_hash !== prev) return broken('link');
        const expected = auditRowHash(prev, {
          at: new Date(r.at),
          actorOid: r.actor_oid,
          actorName: r.actor_name,
          action: r.action,
          objectType: r.object_type,
          objectId: r.object_id,
          schoolId: r.school_id,
          details: r.details,
        });
        if (expected !== r.hash) return broken('hash');
        prev = r.hash;
        rows++;
        after = String(r.id);
      }
      if (page.length < batch) return { rows, head: prev, broken: null };
    }
  }
}
