import { SecretBox } from './secret-box';

/** A value sealed at rest: AES-256-GCM under the installation key's `personal-data` key. */
export interface SealedValue {
  sealed: { ciphertext: string; iv: string; tag: string; keyId: string };
}

export function isSealed(value: unknown): value is SealedValue {
  const s = (value as SealedValue | null | undefined)?.sealed;
  return !!s && typeof s === 'object' && typeof s.ciphertext === 'string' && typeof s.iv === 'string' && typeof s.tag === 'string';
}

/** Fields of person records that identify a person: sealed wherever a record is kept. */
export const PERSONAL_FIELDS: ReadonlySet<string> = new Set(['lastName', 'firstName', 'middleName', 'birthDate', 'snils', 'esiaOid', 'email', 'phone']);

/** Collections whose records are people. */
export const PERSON_ENTITIES: ReadonlySet<string> = new Set(['pupils', 'staff', 'guardians']);

/**
 * Seals personal data kept in the store (152-ФЗ: a copy of the database read without the
 * installation key shows no names, birth dates or СНИЛС). The key is derived from
 * `EJSYNC_SECRET_KEY` for this one purpose (HKDF, `ejsync/personal-data`); every sealed value is
 * bound to where it lives (`associated`), so a value copied to another row does not open.
 * Values stored before sealing (plain) are read as they are.
 */
export class PersonalDataBox {
  private derived: SecretBox | null = null;

  constructor(private readonly installationBox: () => SecretBox) {}

  private box(): SecretBox {
    this.derived ??= SecretBox.fromString(this.installationBox().deriveKey('personal-data').toString('base64'));
    return this.derived;
  }

  seal(value: unknown, associated: string): SealedValue {
    return { sealed: this.box().seal(JSON.stringify(value), associated) };
  }

  /** The value sealed by `seal`, or the stored value itself when it was never sealed. */
  open<T>(stored: unknown, associated: string): T {
    if (!isSealed(stored)) return stored as T;
    return JSON.parse(this.box().open(stored.sealed, associated)) as T;
  }

  /**
   * A person record with its personal fields sealed together under `$personal` (other fields stay
   * readable: ids, class, sex). Records of other collections and records without such fields are
   * returned as they are; entity `*` seals any record that has a person's fields.
   */
  sealRecord(entity: string, record: unknown, associated: string): unknown {
    if ((entity !== '*' && !PERSON_ENTITIES.has(entity)) || !record || typeof record !== 'object' || Array.isArray(record)) return record;
    const plain: Record<string, unknown> = {};
    const personal: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(record as Record<string, unknown>)) (PERSONAL_FIELDS.has(k) ? personal : plain)[k] = v;
    if (!Object.keys(personal).length) return record;
    return { ...plain, $personal: this.seal(personal, associated) };
  }

  /** The record `sealRecord` sealed, whole again. */
  openRecord(record: unknown, associated: string): unknown {
    if (!record || typeof record !== 'object' || !('$personal' in record)) return record;
    const { $personal, ...plain } = record as Record<string, unknown>;
    return { ...plain, ...this.open<Record<string, unknown>>($personal, associated) };
  }
}
