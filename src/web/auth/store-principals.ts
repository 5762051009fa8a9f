import { fullName } from '../../model';
import type { Store } from '../../store';
import type { PrincipalResolver } from './principal-resolver';
import type { Role } from './roles';

/**
 * Roles from the store: assignments by oid (made by configuration or an operator), plus the
 * schools where the person is linked to a staff record (identity linking) count as
 * school-administrator rights only when an assignment says so. No assignment → no access.
 */
export function storePrincipals(store: Store): PrincipalResolver {
  return {
    async resolve(person) {
      const assignments = await store.access.rolesOf(person.oid);
      if (!assignments.length) return null;
      const roles = [...new Set(assignments.map((a) => a.role as Role))];
      const schoolIds = [...new Set(assignments.map((a) => a.schoolId).filter((s): s is string => !!s))];
      return { oid: person.oid, displayName: fullName(person), roles, schoolIds };
    },
  };
}
