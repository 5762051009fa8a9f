import { sql, type Kysely } from 'kysely';
import { AUDIT_CHAIN_START, auditRowHash } from '../repositories/audit-chain';

interface Row {
  id: string;
  at: Date;
  actor_oid: string;
  actor_name: string;
  action: string;
  object_type: string;
  object_id: string | null;
  school_id: string | null;
  details: unknown;
}

/**
 * A hash chain over the audit trail: each row keeps the previous row's hash and its own
 * (SHA-256 over that and its fields, `audit-chain.ts`). Rows already written are chained in
 * their order, so `ejsync audit verify` covers them from now on.
 */
export async function up(db: Kysely<unknown>): Promise<void> {
  await sql`alter table audit add column prev_hash text`.execute(db);
  await sql`alter table audit add column hash text`.execute(db);
  let prev = AUDIT_CHAIN_START;
  let after = '0';
  for (;;) {
    const page = await sql<Row>`select id, at, actor_oid, actor_name, action, object_type, object_id, school_id, details from audit where id > ${after}::bigint order by id limit 5000`.execute(db);
    for (const r of page.rows) {
      // The chain keeps instants to the millisecond (as JavaScript reads them): the stored value is made to match.
      const at = new Date(r.at);
      const hash = auditRowHash(prev, { at, actorOid: r.actor_oid, actorName: r.actor_name, action: r.action, objectType: r.object_type, objectId: r.object_id, schoolId: r.school_id, details: r.details ?? {} });
      await sql`update audit set at = ${at}, prev_hash = ${prev}, hash = ${hash} where id = ${r.id}::bigint`.execute(db);
      prev = hash;
      after = String(r.id);
    }
    if (page.rows.length < 5000) break;
  }
}
