import { randomUUID } from 'node:crypto';
import { dropSchema, openStore, SecretBox, type Store } from '../../src/store';

export const DATABASE_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test';

export type StoreKind = 'postgres' | 'pglite';

/** A key for tests (never a real one). */
export const TEST_SECRET_BOX = SecretBox.fromString(Buffer.alloc(32, 7).toString('base64'));

/**
 * A fresh store: on the real PostgreSQL in a unique schema (dropped by `cleanup`), or an
 * in-memory PGlite. PostgreSQL being down fails the test — it never skips.
 */
export async function freshStore(kind: StoreKind): Promise<{ store: Store; cleanup(): Promise<void> }> {
  if (kind === 'pglite') {
    const store = await openStore({ home: ':memory:', secretBox: TEST_SECRET_BOX });
    return { store, cleanup: () => store.close() };
  }
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  const store = await openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX, poolSize: 4 });
  return {
    store,
    async cleanup() {
      await store.close();
      await dropSchema(DATABASE_URL, schema);
    },
  };
}
