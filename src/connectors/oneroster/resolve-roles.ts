import { parseList } from './cell-values';
import { inSchoolScope } from './map-school';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

/** The canonical collections a OneRoster user can land in. */
export type PersonKind = 'pupils' | 'staff' | 'guardians';

export interface UserRoles {
  kinds: Set<PersonKind>;
  /** Russian position for staff, from the primary staff role. */
  position?: string;
  /** For guardians: which OneRoster role made them one. */
  guardianRole?: 'parent' | 'guardian' | 'agent';
}

/** What each OneRoster role becomes; roles not listed are `oneroster.unsupported_role`. */
export const ROLE_MAPPING: Readonly<Record<string, { kind: PersonKind; position?: string }>> = {
  student: { kind: 'pupils' },
  teacher: { kind: 'staff', position: 'учитель' },
  principal: { kind: 'staff', position: 'директор' },
  administrator: { kind: 'staff', position: 'администратор' },
  siteAdministrator: { kind: 'staff', position: 'администратор' },
  parent: { kind: 'guardians' },
  guardian: { kind: 'guardians' },
};

function add(roles: Map<string, UserRoles>, userId: string, role: string): boolean {
  const mapped = ROLE_MAPPING[role];
  if (!mapped) return false;
  const entry = roles.get(userId) ?? { kinds: new Set<PersonKind>() };
  roles.set(userId, entry);
  entry.kinds.add(mapped.kind);
  if (mapped.position && !entry.position) entry.position = mapped.position;
  if (mapped.kind === 'guardians' && entry.guardianRole !== 'parent') entry.guardianRole = role as 'parent' | 'guardian';
  return true;
}

/**
 * Who each user is. OneRoster 1.2 keeps roles in roles.csv (primary roles first); a package
 * without it is read the 1.1 way, from the `role` column of users.csv; a user with neither
 * takes the role of their enrollments, and a user named only in a pupil's `agentSourcedIds`
 * is a guardian. Roles at another school of a district package are out of scope.
 * `includeDeleted` also reads `tobedeleted` rows (to file deletions of a delta package).
 */
export function resolveRoles(ctx: MappingContext, schoolId: string, includeDeleted = false, report = true): Map<string, UserRoles> {
  const roles = new Map<string, UserRoles>();
  const pick = (file: 'roles.csv' | 'users.csv' | 'enrollments.csv'): RawRecord[] =>
    includeDeleted ? (ctx.file(file)?.records ?? []).filter((r) => !r.rejected) : ctx.rows(file);
  const allRoleRows = pick('roles.csv');
  // A user with roles.csv rows is placed by them alone, even when they all lie at another school.
  const withRoleRows = new Set(allRoleRows.map((r) => r.values.userSourcedId));
  const roleRows = allRoleRows
    .filter((r) => inSchoolScope(ctx, schoolId, r.values.orgSourcedId))
    .sort((a, b) => Number(a.values.roleType !== 'primary') - Number(b.values.roleType !== 'primary'));
  for (const r of roleRows) {
    if (!add(roles, r.values.userSourcedId, r.values.role) && report) {
      ctx.report('oneroster.unsupported_role', r, { field: 'role', detail: r.values.role });
    }
  }
  for (const u of pick('users.csv')) {
    const role = u.values.role;
    if (withRoleRows.has(u.sourcedId) || role === undefined) continue;
    if (!parseList(u.values.orgSourcedIds).every((org) => inSchoolScope(ctx, schoolId, org))) continue;
    if (!add(roles, u.sourcedId, role) && report) ctx.report('oneroster.unsupported_role', u, { field: 'role', detail: role });
  }
  for (const e of pick('enrollments.csv')) {
    const userId = e.values.userSourcedId;
    if (roles.has(userId) || withRoleRows.has(userId) || !inSchoolScope(ctx, schoolId, e.values.schoolSourcedId)) continue;
    if (e.values.role === 'student' || e.values.role === 'teacher') add(roles, userId, e.values.role);
  }
  for (const u of pick('users.csv')) {
    if (!roles.get(u.sourcedId)?.kinds.has('pupils')) continue;
    for (const agent of parseList(u.values.agentSourcedIds)) {
      if (roles.has(agent) || withRoleRows.has(agent)) continue;
      roles.set(agent, { kinds: new Set(['guardians']), guardianRole: 'agent' });
    }
  }
  return roles;
}
