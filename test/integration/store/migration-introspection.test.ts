import { randomUUID } from 'node:crypto';
import pg from 'pg';
import { dropSchema, openStore } from '../../../src/store';
import { DATABASE_URL } from '../../helpers/database';

/**
 * Migrations look only at their own schema. Kysely's introspection reads every column of every
 * table of every schema (`pg_get_serial_sequence` per column): a schema dropped by another process
 * between the catalog scan and that call made a worker's start fail with «schema … does not exist»
 * (seen once in CI, while other tests dropped their schemas). The window is too narrow to hit at
 * will here: this test keeps other schemas coming and going while stores open, and checks they do.
 */
describe('store migrations on a shared PostgreSQL', () => {
  it('start in their schema whatever other schemas hold', async () => {
    const decoy = `decoy_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const schema = `mig_${randomUUID().replace(/-/g, '').slice(0, 10)}`;
    const client = new pg.Client({ connectionString: DATABASE_URL });
    await client.connect();
    try {
      // Another program keeps creating and dropping its schema while stores open and migrate here.
      let churning = true;
      const churn = (async () => {
        const other = new pg.Client({ connectionString: DATABASE_URL });
        await other.connect();
        for (let i = 0; churning; i++) {
          const name = `${decoy}_${i}`;
          await other.query(`create schema "${name}"; ${Array.from({ length: 20 }, (_, t) => `create table "${name}".t${t} (id serial primary key, a text, b text);`).join(' ')}`);
          await other.query(`drop schema "${name}" cascade`);
        }
        await other.end();
      })();
      try {
        for (let i = 0; i < 6; i++) {
          const store = await openStore({ databaseUrl: DATABASE_URL, schema: `${schema}_${i}` });
          try {
            expect(await store.links.list()).toEqual([]);
          } finally {
            await store.close();
            await dropSchema(DATABASE_URL, `${schema}_${i}`);
          }
        }
      } finally {
        churning = false;
        await churn;
      }
    } finally {
      await client.end();
      await dropSchema(DATABASE_URL, schema);
    }
  });
});
