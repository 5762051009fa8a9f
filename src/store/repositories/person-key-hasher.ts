import { createHmac, randomBytes } from 'node:crypto';
import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import type { SecretBox } from './secret-box';
import { SecretsRepository } from './secrets-repository';

/** Name of the directory's HMAC key among the store's secrets. */
export const DIRECTORY_KEY_SECRET = 'identity.directory-hmac-key';

/** Key material of a person (normalised: 11-digit СНИЛС, `nameKey|YYYY-MM-DD`), or its hashes. */
export interface DirectoryKeys {
  snils?: string;
  nameBirth?: string;
}

/**
 * Keyed hashes (HMAC-SHA256, hex) of identity key material. The HMAC key is 32 random bytes made
 * once per installation and kept among the secrets, sealed with the installation secret key
 * (`EJSYNC_SECRET_KEY`): without that key a copy of the database cannot be searched for a known
 * СНИЛС or name, and the same person gives the same hash in every school of the installation.
 * Each kind of key is hashed in its own domain, so a СНИЛС never equals a name key.
 */
export class PersonKeyHasher {
  private key: Promise<Buffer> | null = null;
  private readonly secrets: SecretsRepository;

  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: () => SecretBox,
  ) {
    this.secrets = new SecretsRepository(db, box);
  }

  async hash(keys: DirectoryKeys): Promise<DirectoryKeys> {
    const key = await this.hmacKey();
    const mac = (domain: string, material: string) => createHmac('sha256', key).update(`${domain}\u0000${material}`, 'utf8').digest('hex');
    const out: DirectoryKeys = {};
    if (keys.snils) out.snils = mac('snils', keys.snils);
    if (keys.nameBirth) out.nameBirth = mac('name-birth', keys.nameBirth);
    return out;
  }

  private hmacKey(): Promise<Buffer> {
    this.key ??= this.loadKey().catch((error: unknown) => {
      this.key = null;
      throw error;
    });
    return this.key;
  }

  private async loadKey(): Promise<Buffer> {
    const existing = await this.secrets.get(DIRECTORY_KEY_SECRET);
    if (existing) return Buffer.from(existing, 'base64');
    // Two processes may start at once: insert-if-absent, then everyone reads the one that won.
    const sealed = this.box().seal(randomBytes(32).toString('base64'), DIRECTORY_KEY_SECRET);
    await this.db
      .insertInto('secrets')
      .values({ name: DIRECTORY_KEY_SECRET, ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.tag, key_id: sealed.keyId })
      .onConflict((oc) => oc.column('name').doNothing())
      .execute();
    const stored = await this.secrets.get(DIRECTORY_KEY_SECRET);
    return Buffer.from(stored!, 'base64');
  }
}
