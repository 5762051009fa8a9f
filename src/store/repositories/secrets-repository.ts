import type { Kysely } from 'kysely';
import type { Database } from '../schema';
import type { SecretBox } from './secret-box';

/** Secrets (platform tokens) encrypted at rest; the name is bound into the ciphertext (AAD). */
export class SecretsRepository {
  constructor(
    private readonly db: Kysely<Database>,
    private readonly box: () => SecretBox,
  ) {}

  async put(name: string, value: string): Promise<void> {
    const sealed = this.box().seal(value, name);
    await this.db
      .insertInto('secrets')
      .values({ name, ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.tag, key_id: sealed.keyId })
      .onConflict((oc) => oc.column('name').doUpdateSet({ ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.tag, key_id: sealed.keyId, updated_at: new Date() }))
      .execute();
  }

  async get(name: string): Promise<string | null> {
    const row = await this.db.selectFrom('secrets').selectAll().where('name', '=', name).executeTakeFirst();
    if (!row) return null;
    return this.box().open({ ciphertext: row.ciphertext, iv: row.iv, tag: row.tag, keyId: row.key_id }, name);
  }

  /**
   * Reads, changes and writes one secret under a row lock, so that two workers refreshing the
   * same rotated token never both spend the old refresh token. `change` returns the new value
   * (or the current one to leave it).
   */
  async update(name: string, change: (current: string | null) => Promise<string>): Promise<string> {
    return this.db.transaction().execute(async (trx) => {
      const row = await trx.selectFrom('secrets').selectAll().where('name', '=', name).forUpdate().executeTakeFirst();
      const current = row ? this.box().open({ ciphertext: row.ciphertext, iv: row.iv, tag: row.tag, keyId: row.key_id }, name) : null;
      const next = await change(current);
      if (next !== current) {
        const sealed = this.box().seal(next, name);
        await trx
          .insertInto('secrets')
          .values({ name, ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.tag, key_id: sealed.keyId })
          .onConflict((oc) => oc.column('name').doUpdateSet({ ciphertext: sealed.ciphertext, iv: sealed.iv, tag: sealed.tag, key_id: sealed.keyId, updated_at: new Date() }))
          .execute();
      }
      return next;
    });
  }

  async delete(name: string): Promise<void> {
    await this.db.deleteFrom('secrets').where('name', '=', name).execute();
  }
}
