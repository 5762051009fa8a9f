import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import { AuditRepository, SYSTEM_ACTOR, type Actor } from './audit-repository';

export type StoredRole = 'operator' | 'school_admin' | 'viewer';

/** One role of one ЕСИА account; `schoolId` null for roles over every school (the operator). */
export interface RoleAssignment {
  oid: string;
  role: StoredRole;
  schoolId: string | null;
}

/** `assigned_by` of assignments that come from the installation's roles file. */
export const CONFIGURED_BY = 'config';

/**
 * Role assignments by ЕСИА oid — the only source of roles. They come from configuration (the
 * roles file, `assigned_by = 'config'`) or from an operator (`assigned_by` = their oid). Linking
 * an account to a staff or guardian record never grants a role.
 */
export class AccessRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Adds an assignment (no-op when it exists). With an actor, the change is audited. */
  async assign(oid: string, role: StoredRole, schoolId: string | null, assignedBy: string, actor?: Actor): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const added = await tx
        .insertInto('role_assignments')
        .values({ oid, role, school_id: schoolId ?? '', assigned_by: assignedBy })
        .onConflict((oc) => oc.columns(['oid', 'role', 'school_id']).doNothing())
        .returning('oid')
        .executeTakeFirst();
      if (added && actor) await audit(tx, actor, 'role.assigned', { oid, role, schoolId });
    });
  }

  /** Removes an assignment. With an actor, the change is audited. */
  async revoke(oid: string, role: StoredRole, schoolId: string | null, actor?: Actor): Promise<void> {
    await this.db.transaction().execute(async (tx) => {
      const removed = await tx.deleteFrom('role_assignments').where('oid', '=', oid).where('role', '=', role).where('school_id', '=', schoolId ?? '').returning('oid').executeTakeFirst();
      if (removed && actor) await audit(tx, actor, 'role.revoked', { oid, role, schoolId });
    });
  }

  async rolesOf(oid: string): Promise<{ role: StoredRole; schoolId: string | null }[]> {
    const rows = await this.db.selectFrom('role_assignments').select(['role', 'school_id']).where('oid', '=', oid).orderBy('role').orderBy('school_id').execute();
    return rows.map((r) => ({ role: r.role as StoredRole, schoolId: r.school_id || null }));
  }

  /** Every assignment, with who made it (`config` or an operator's oid). */
  async list(): Promise<(RoleAssignment & { assignedBy: string })[]> {
    const rows = await this.db.selectFrom('role_assignments').selectAll().orderBy('oid').orderBy('role').orderBy('school_id').execute();
    return rows.map((r) => ({ oid: r.oid, role: r.role as StoredRole, schoolId: r.school_id || null, assignedBy: r.assigned_by }));
  }

  /**
   * Makes the configured assignments exactly `assignments`: adds the missing ones, removes the
   * configured ones no longer listed; assignments an operator made are left alone (one the
   * configuration also lists stays the operator's). One transaction, every change audited.
   */
  async syncConfigured(assignments: readonly RoleAssignment[]): Promise<{ added: RoleAssignment[]; removed: RoleAssignment[] }> {
    const id = (a: RoleAssignment) => `${a.oid}\u0000${a.role}\u0000${a.schoolId ?? ''}`;
    const wanted = new Map(assignments.map((a) => [id(a), a]));
    return this.db.transaction().execute(async (tx) => {
      const current = await tx.selectFrom('role_assignments').select(['oid', 'role', 'school_id']).where('assigned_by', '=', CONFIGURED_BY).forUpdate().execute();
      const removed: RoleAssignment[] = [];
      for (const r of current) {
        const a: RoleAssignment = { oid: r.oid, role: r.role as StoredRole, schoolId: r.school_id || null };
        if (wanted.has(id(a))) continue;
        await tx.deleteFrom('role_assignments').where('oid', '=', r.oid).where('role', '=', r.role).where('school_id', '=', r.school_id).execute();
        await audit(tx, SYSTEM_ACTOR, 'role.revoked', { ...a, source: CONFIGURED_BY });
        removed.push(a);
      }
      const added: RoleAssignment[] = [];
      for (const a of wanted.values()) {
        const row = await tx
          .insertInto('role_assignments')
          .values({ oid: a.oid, role: a.role, school_id: a.schoolId ?? '', assigned_by: CONFIGURED_BY })
          .onConflict((oc) => oc.columns(['oid', 'role', 'school_id']).doNothing())
          .returning('oid')
          .executeTakeFirst();
        if (!row) continue;
        await audit(tx, SYSTEM_ACTOR, 'role.assigned', { ...a, source: CONFIGURED_BY });
        added.push(a);
      }
      return { added, removed };
    });
  }
}

async function audit(db: Kysely<Database>, actor: Actor, action: string, a: RoleAssignment & { source?: string }): Promise<void> {
  await new AuditRepository(db).append({
    ...actor,
    action,
    objectType: 'role_assignment',
    objectId: a.oid,
    ...(a.schoolId ? { schoolId: a.schoolId } : {}),
    // The assignment's state before and after the change.
    details: { role: a.role, ...(a.source ? { source: a.source } : {}), before: { assigned: action === 'role.revoked' }, after: { assigned: action === 'role.assigned' } },
  });
}
