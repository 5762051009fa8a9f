import type { PrincipalResolver } from './principal-resolver';
import type { Role } from './roles';
import { fullName } from '../../model';

export interface RoleAssignment {
  oid: string;
  roles: Role[];
  schoolIds: string[];
}

/** Role assignments from configuration (the regional operator's list). */
export function staticPrincipals(assignments: RoleAssignment[]): PrincipalResolver {
  const byOid = new Map(assignments.map((a) => [a.oid, a]));
  return {
    async resolve(person) {
      const a = byOid.get(person.oid);
      if (!a) return null;
      return { oid: person.oid, displayName: fullName(person), roles: a.roles, schoolIds: a.schoolIds };
    },
  };
}
