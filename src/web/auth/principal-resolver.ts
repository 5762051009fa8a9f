import type { EsiaPerson } from '../../reconcile/identity/link-person';
import type { Principal } from './roles';

/**
 * Turns a signed-in ЕСИА person into what they may do: role assignments by oid (from
 * configuration or an operator), and school-administrator rights for the schools where the
 * person is linked as staff. Null: the person has no access to ejsync.
 */
export interface PrincipalResolver {
  resolve(person: EsiaPerson): Promise<Principal | null>;
}
