import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export type StoredRole = 'operator' | 'school_admin' | 'viewer';

/** Role assignments by ЕСИА oid, and links of people to school records (identity linking). */
export class AccessRepository {
  constructor(private readonly db: Kysely<Database>) {}

  async assign(oid: string, role: StoredRole, schoolId: string | null, assignedBy: string): Promise<void> {
    await this.db
      .insertInto('role_assignments')
      .values({ oid, role, school_id: schoolId ?? '', assigned_by: assignedBy })
      .onConflict((oc) => oc.columns(['oid', 'role', 'school_id']).doNothing())
      .execute();
  }

  async revoke(oid: string, role: StoredRole, schoolId: string | null): Promise<void> {
    await this.db.deleteFrom('role_assignments').where('oid', '=', oid).where('role', '=', role).where('school_id', '=', schoolId ?? '').execute();
  }

  async rolesOf(oid: string): Promise<{ role: StoredRole; schoolId: string | null }[]> {
    const rows = await this.db.selectFrom('role_assignments').select(['role', 'school_id']).where('oid', '=', oid).execute();
    return rows.map((r) => ({ role: r.role as StoredRole, schoolId: r.school_id || null }));
  }

  async linkPerson(oid: string, kind: 'staff' | 'guardian', schoolId: string, sourceId: string, matchedBy: string): Promise<void> {
    await this.db
      .insertInto('people_links')
      .values({ oid, kind, school_id: schoolId, source_id: sourceId, matched_by: matchedBy })
      .onConflict((oc) => oc.columns(['oid', 'kind', 'school_id', 'source_id']).doNothing())
      .execute();
  }

  async linksOf(oid: string): Promise<{ kind: string; schoolId: string; sourceId: string; matchedBy: string }[]> {
    const rows = await this.db.selectFrom('people_links').selectAll().where('oid', '=', oid).execute();
    return rows.map((r) => ({ kind: r.kind, schoolId: r.school_id, sourceId: r.source_id, matchedBy: r.matched_by }));
  }
}
