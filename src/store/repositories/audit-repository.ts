import { NONE } from '../none';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';

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

export class AuditRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async append(entry: AuditEntry): Promise<void> {
    await this.db
      .insertInto('audit')
      .values({
        actor_oid: entry.actorOid,
        actor_name: entry.actorName,
        action: entry.action,
        object_type: entry.objectType,
        object_id: entry.objectId ?? null,
        school_id: entry.schoolId ?? null,
        details: JSON.stringify(entry.details ?? {}),
      })
      .execute();
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
}
