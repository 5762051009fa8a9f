import type { Role } from './roles';

/**
 * Roles and schools from role assignments: every distinct role, and the schools of the
 * school-bound assignments — exactly those, never the schools a person is linked to as staff.
 */
export function principalRoles(assignments: readonly { role: string; schoolId: string | null }[]): { roles: Role[]; schoolIds: string[] } {
  return {
    roles: [...new Set(assignments.map((a) => a.role as Role))],
    schoolIds: [...new Set(assignments.map((a) => a.schoolId).filter((s): s is string => !!s))],
  };
}
