import { randomUUID } from 'node:crypto';
import { dropSchema, openStore, type IdMapRow, type Store } from '../../../src/store';
import { DATABASE_URL, TEST_SECRET_BOX } from '../../helpers/database';

/**
 * Deliveries and plans write the id map at once (issue 18 point 8). On the real PostgreSQL, many
 * connections writing overlapping keys in opposite orders must never deadlock (40P01) nor trip
 * over each other's uncommitted rows (23505): each failed write costs a delivery an attempt.
 */
describe('id map under concurrent writers (real PostgreSQL)', () => {
  const CONNECTIONS = 8;
  const ROUNDS = 50;
  const KEYS = 20;
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  let store: Store;

  beforeAll(async () => {
    store = await openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX, poolSize: CONNECTIONS + 2 });
  });

  afterAll(async () => {
    await store?.close();
    await dropSchema(DATABASE_URL, schema);
  });

  const sources = Array.from({ length: KEYS }, (_, i) => `p${String(i).padStart(2, '0')}`);
  const rowsOf = (shift: number): IdMapRow[] => sources.map((s, i) => ({ entity: 'pupils', sourceId: s, targetId: `t${(i + shift) % KEYS}`, matchedBy: 'created' }));

  /**
   * Runs `CONNECTIONS` writers for `ROUNDS` rounds each; returns the database error codes seen.
   * The first error stops every writer (each deadlock costs PostgreSQL's detection timeout).
   */
  async function hammer(write: (worker: number, round: number) => Promise<void>): Promise<string[]> {
    const errors: string[] = [];
    await Promise.all(
      Array.from({ length: CONNECTIONS }, async (_, worker) => {
        for (let round = 0; round < ROUNDS && !errors.length; round++) {
          try {
            await write(worker, round);
          } catch (error) {
            errors.push(String((error as { code?: string }).code ?? (error as Error).message));
          }
        }
      }),
    );
    return errors;
  }

  it('batches of the same pairs in opposite orders complete with no deadlock', async () => {
    const ascending = rowsOf(0);
    const descending = [...ascending].reverse();
    const errors = await hammer((worker) => store.idMap.put('link-same', worker % 2 ? descending : ascending));
    expect(errors).toEqual([]);
    const rows = await store.idMap.all('link-same');
    expect(rows.map((r) => `${r.sourceId}=${r.targetId}`).sort()).toEqual(ascending.map((r) => `${r.sourceId}=${r.targetId}`).sort());
  });

  it('batches that move platform ids between records at once end in one whole batch, no errors', async () => {
    // Writers disagree: each batch maps every record to another platform id (targets rotated by
    // the worker's number), in its own order. The id map stays unique both ways and ends as
    // exactly one of the batches — never a mixture of two.
    const errors = await hammer((worker, round) => {
      const rows = rowsOf((worker + round) % KEYS);
      return store.idMap.put('link-moving', worker % 2 ? rows.reverse() : rows);
    });
    expect(errors).toEqual([]);
    const rows = await store.idMap.all('link-moving');
    expect(rows).toHaveLength(KEYS);
    const shift = Number(rows.find((r) => r.sourceId === 'p00')!.targetId.slice(1));
    expect(rows.map((r) => `${r.sourceId}=${r.targetId}`).sort()).toEqual(rowsOf(shift).map((r) => `${r.sourceId}=${r.targetId}`).sort());
  });

  it('single-record writes as deliveries make them, beside batches, lose nothing', async () => {
    // Half the writers put one created record at a time (a delivery), the other half re-put the
    // whole batch in reverse (a plan's matches); every record ends mapped, unique both ways.
    const batch = rowsOf(0);
    const errors = await hammer(async (worker, round) => {
      if (worker % 2) return store.idMap.put('link-mixed', [...batch].reverse());
      const i = (worker * 7 + round) % KEYS;
      return store.idMap.put('link-mixed', [batch[i], batch[(i + 1) % KEYS]].reverse());
    });
    expect(errors).toEqual([]);
    expect((await store.idMap.all('link-mixed')).map((r) => `${r.sourceId}=${r.targetId}`).sort()).toEqual(batch.map((r) => `${r.sourceId}=${r.targetId}`).sort());
  });
});
