import type { EsiaPerson } from '../../reconcile/identity/esia-person';
import type { Principal } from './roles';

/**
 * Turns a signed-in ЕСИА person into what they may do: role assignments by oid (from
 * configuration or an operator), each school-bound role scoped to exactly the schools of its
 * assignments. Linking the person to staff or guardian records never grants a role. Null: the
 * person has no access to ejsync.
 */
export interface PrincipalResolver {
  resolve(person: EsiaPerson): Promise<Principal | null>;
}
