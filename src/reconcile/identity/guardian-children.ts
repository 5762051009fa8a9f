import type { IdentityKeys } from './identity-keys';
import type { LinkCandidate } from './link-person';

const sameKey = (a: IdentityKeys, b: IdentityKeys) => (!!a.snils && a.snils === b.snils) || (!!a.nameBirth && a.nameBirth === b.nameBirth);

/**
 * Do the person's children in ЕСИА confirm that they are this guardian record? True when one of
 * the record's children in the МИС has the same СНИЛС or full name + birth date as one of the
 * ЕСИА children; false when ЕСИА lists children and none of them is; undefined when the check
 * does not apply (not a guardian, ЕСИА's children not read or none listed, no children in the МИС).
 */
export function childrenConfirm(candidate: LinkCandidate, esiaKids: readonly IdentityKeys[] | undefined): boolean | undefined {
  if (candidate.kind !== 'guardian' || !esiaKids?.length || !candidate.children?.length) return undefined;
  return candidate.children.some((child) => esiaKids.some((kid) => sameKey(child.keys, kid)));
}
