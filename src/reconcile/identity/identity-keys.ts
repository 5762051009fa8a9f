import { nameKey, normalizeSnils } from '../../model';

/**
 * What identifies a person for linking, as opaque strings compared for equality: the
 * normalised key material (`identityKeys`) or, in the store, keyed hashes of it. Linking never
 * needs anything else of a person, so the store never needs their name or СНИЛС.
 */
export interface IdentityKeys {
  /** СНИЛС: 11 digits, or its keyed hash. */
  snils?: string;
  /** Full name + birth date (`nameKey|YYYY-MM-DD`), or its keyed hash. */
  nameBirth?: string;
}

/** The parts of a person record key material is made of. */
export interface PersonKeyFields {
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  /** Any usual spelling; an unreadable number gives no key. */
  snils?: string;
}

/**
 * Normalised key material of a person: СНИЛС as 11 digits (`112-233-445 95` → `11223344595`)
 * and the case- and `ё`-folded full name with the birth date. A key is absent when its parts
 * are (no birth date → no name key: a name alone never identifies anyone).
 */
export function identityKeys(person: PersonKeyFields): IdentityKeys {
  const keys: IdentityKeys = {};
  const snils = person.snils ? normalizeSnils(person.snils) : null;
  if (snils) keys.snils = snils;
  const name = nameKey(person);
  if (person.birthDate && name) keys.nameBirth = `${name}|${person.birthDate}`;
  return keys;
}

/** True when the keys can identify nobody. */
export function hasNoKeys(keys: IdentityKeys): boolean {
  return !keys.snils && !keys.nameBirth;
}
