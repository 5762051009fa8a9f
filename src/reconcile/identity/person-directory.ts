import type { Snapshot } from '../../model';
import { hasNoKeys, identityKeys, type IdentityKeys, type PersonKeyFields } from './identity-keys';
import type { DirectoryChild } from './link-person';

/**
 * One staff member or guardian of a school as the store's person directory keeps them: ids and
 * key material only (the store keeps keyed hashes of the keys, never names or СНИЛС).
 */
export interface PersonDirectoryEntry {
  kind: 'staff' | 'guardian';
  sourceId: string;
  /** ЕСИА oid when the МИС has it. */
  esiaOid?: string;
  keys: IdentityKeys;
  /** Guardians: the pupils the МИС links them to (so a parent sees their children); staff: empty. */
  children: DirectoryChild[];
}

/**
 * Derives a school's person directory from a source snapshot: every staff member and guardian
 * that can be identified (an oid, a readable СНИЛС, or a name with a birth date) — the others
 * could never be linked and are left out — with normalised key material, and for guardians the
 * pupils of their guardian links that are in the snapshot. Sorted, one entry per kind and id.
 */
export function derivePersonDirectory(snapshot: Snapshot): PersonDirectoryEntry[] {
  const pupils = new Map(snapshot.pupils.map((p) => [p.sourceId, p]));
  const childrenOf = new Map<string, Set<string>>();
  for (const link of snapshot.guardianLinks) {
    if (!pupils.has(link.pupilId)) continue;
    let set = childrenOf.get(link.guardianId);
    if (!set) childrenOf.set(link.guardianId, (set = new Set()));
    set.add(link.pupilId);
  }
  const entries = new Map<string, PersonDirectoryEntry>();
  const add = (kind: PersonDirectoryEntry['kind'], person: PersonKeyFields & { sourceId: string; esiaOid?: string }, children: DirectoryChild[]) => {
    const keys = identityKeys(person);
    if (!person.esiaOid && hasNoKeys(keys)) return;
    const id = `${kind}/${person.sourceId}`;
    if (entries.has(id)) return;
    entries.set(id, { kind, sourceId: person.sourceId, ...(person.esiaOid ? { esiaOid: person.esiaOid } : {}), keys, children });
  };
  for (const s of snapshot.staff) add('staff', s, []);
  for (const g of snapshot.guardians) {
    const children = [...(childrenOf.get(g.sourceId) ?? [])].sort().map((pupilId) => ({ pupilId, keys: identityKeys(pupils.get(pupilId)!) }));
    add('guardian', g, children);
  }
  return [...entries.values()].sort((a, b) => a.kind.localeCompare(b.kind) || a.sourceId.localeCompare(b.sourceId));
}
