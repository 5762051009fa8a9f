import type { EsiaPerson } from '../../reconcile/identity/esia-person';
import { identityKeys } from '../../reconcile/identity/identity-keys';
import { linkDecisions, type LinkDecision } from '../../reconcile/identity/link-decisions';
import { linkPerson, type LinkOutcome } from '../../reconcile/identity/link-person';
import type { PeopleLinkRecord, Store } from '../../store';

/** What identity linking did at one sign-in. */
export interface SignInLinking {
  status: LinkOutcome['status'];
  decisions: LinkDecision[];
  /** Rows of `people_links` this sign-in created or changed (each one audited). */
  changed: PeopleLinkRecord[];
  /** Pupils of the guardian records the person is linked to (for the parents' view). */
  children: { schoolId: string; pupilId: string }[];
}

/**
 * Links a signed-in person to the person directory: their key material (normalised СНИЛС, full
 * name + birth date) is hashed with the installation's directory key, candidates are looked up
 * by oid and by those hashes, `linkPerson` decides, ЕСИА's children (when read) cross-check
 * guardian matches, and the decisions go to `people_links` — ambiguous, unconfirmed-account and
 * contradicted matches as pending for an operator. Names and СНИЛС stay in memory.
 */
export async function linkSignedInPerson(store: Pick<Store, 'personDirectory' | 'peopleLinks'>, person: EsiaPerson): Promise<SignInLinking> {
  const { keys, candidates } = await store.personDirectory.lookup({ oid: person.oid, keys: identityKeys(person) });
  const outcome = linkPerson({ oid: person.oid, trusted: person.trusted, keys }, candidates);
  const kidKeys = person.kids ? await Promise.all(person.kids.map((kid) => store.personDirectory.hashKeys(identityKeys(kid)))) : undefined;
  const decisions = linkDecisions(outcome, kidKeys);
  const changed = await store.peopleLinks.record(person.oid, decisions);
  const children = await store.peopleLinks.childrenOf(person.oid);
  return { status: outcome.status, decisions, changed, children };
}
