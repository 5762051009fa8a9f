import { nameKey, normalizeSnils } from '../../model';

/** The person ЕСИА says signed in (from `/rs/prns/{oid}`). */
export interface EsiaPerson {
  oid: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  snils?: string;
  /** ЕСИА's confirmed-account flag. */
  trusted: boolean;
}

/** A staff member or guardian in the store that a sign-in may be linked to. */
export interface LinkCandidate {
  kind: 'staff' | 'guardian';
  schoolId: string;
  sourceId: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  birthDate?: string;
  snils?: string;
  esiaOid?: string;
}

export type LinkOutcome =
  | { status: 'linked'; by: 'oid' | 'snils' | 'name_birthdate'; candidates: LinkCandidate[] }
  | { status: 'ambiguous'; by: 'snils' | 'name_birthdate'; candidates: LinkCandidate[] }
  | { status: 'untrusted'; candidates: LinkCandidate[] }
  | { status: 'none'; candidates: [] };

/**
 * Links a signed-in person to school records: by ЕСИА oid, then СНИЛС, then full name + birth
 * date. Only confirmed (trusted) accounts are linked automatically beyond the oid; a person may
 * be staff in several schools (every match with the same key is returned), but two different
 * records of one school matching by name are ambiguous and wait for an operator.
 */
export function linkPerson(person: EsiaPerson, candidates: readonly LinkCandidate[]): LinkOutcome {
  const byOid = candidates.filter((c) => c.esiaOid === person.oid);
  if (byOid.length) return { status: 'linked', by: 'oid', candidates: byOid };
  const snils = person.snils ? normalizeSnils(person.snils) : null;
  const bySnils = snils ? candidates.filter((c) => c.snils && normalizeSnils(c.snils) === snils) : [];
  const byName = person.birthDate
    ? candidates.filter((c) => c.birthDate === person.birthDate && nameKey(c) === nameKey(person))
    : [];
  const found = bySnils.length ? { by: 'snils' as const, list: bySnils } : byName.length ? { by: 'name_birthdate' as const, list: byName } : null;
  if (!found) return { status: 'none', candidates: [] };
  if (!person.trusted) return { status: 'untrusted', candidates: found.list };
  const perSchoolKind = new Map<string, number>();
  for (const c of found.list) perSchoolKind.set(`${c.schoolId}/${c.kind}`, (perSchoolKind.get(`${c.schoolId}/${c.kind}`) ?? 0) + 1);
  if ([...perSchoolKind.values()].some((n) => n > 1)) return { status: 'ambiguous', by: found.by, candidates: found.list };
  return { status: 'linked', by: found.by, candidates: found.list };
}
