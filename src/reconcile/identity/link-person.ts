import type { IdentityKeys } from './identity-keys';

export type { EsiaKid, EsiaPerson } from './esia-person';

/** A pupil a guardian record is linked to in the МИС, with the pupil's keys for the ЕСИА cross-check. */
export interface DirectoryChild {
  pupilId: string;
  keys: IdentityKeys;
}

/** A staff member or guardian of a school (the person directory) a sign-in may be linked to. */
export interface LinkCandidate {
  kind: 'staff' | 'guardian';
  schoolId: string;
  sourceId: string;
  /** ЕСИА oid when the МИС has it. */
  esiaOid?: string;
  keys: IdentityKeys;
  /** Guardians: their children in this school. */
  children?: DirectoryChild[];
}

/** The signed-in person as linking sees them: oid, confirmed flag, keys made the same way as the candidates'. */
export interface PersonToLink {
  oid: string;
  trusted: boolean;
  keys: IdentityKeys;
}

export type MatchedBy = 'oid' | 'snils' | 'name_birthdate';

export type LinkOutcome =
  | { status: 'linked'; by: MatchedBy; candidates: LinkCandidate[] }
  | { status: 'ambiguous'; by: 'snils' | 'name_birthdate'; candidates: LinkCandidate[] }
  | { status: 'untrusted'; by: 'snils' | 'name_birthdate'; candidates: LinkCandidate[] }
  | { status: 'none'; candidates: [] };

/**
 * Links a signed-in person to school records: by ЕСИА oid, then СНИЛС, then full name + birth
 * date. Only confirmed (trusted) accounts are linked automatically beyond the oid; a person may
 * be staff in several schools (every match with the same key is returned), but two different
 * records of one kind in one school matching the same key are ambiguous and wait for an operator.
 * Keys are compared as opaque strings, so the same code runs on keyed hashes.
 */
export function linkPerson(person: PersonToLink, candidates: readonly LinkCandidate[]): LinkOutcome {
  const byOid = candidates.filter((c) => c.esiaOid === person.oid);
  if (byOid.length) return { status: 'linked', by: 'oid', candidates: byOid };
  const { snils, nameBirth } = person.keys;
  const bySnils = snils ? candidates.filter((c) => c.keys.snils === snils) : [];
  const byName = nameBirth ? candidates.filter((c) => c.keys.nameBirth === nameBirth) : [];
  const found = bySnils.length ? { by: 'snils' as const, list: bySnils } : byName.length ? { by: 'name_birthdate' as const, list: byName } : null;
  if (!found) return { status: 'none', candidates: [] };
  if (!person.trusted) return { status: 'untrusted', by: found.by, candidates: found.list };
  const perSchoolKind = new Map<string, number>();
  for (const c of found.list) perSchoolKind.set(`${c.schoolId}/${c.kind}`, (perSchoolKind.get(`${c.schoolId}/${c.kind}`) ?? 0) + 1);
  if ([...perSchoolKind.values()].some((n) => n > 1)) return { status: 'ambiguous', by: found.by, candidates: found.list };
  return { status: 'linked', by: found.by, candidates: found.list };
}
