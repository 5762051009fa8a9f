import { randomUUID } from 'node:crypto';
import { dropSchema, openStore, type Store } from '../../../src/store';
import { DATED_READ_CURSOR, DATED_READ_PENDING_CURSOR } from '../../../src/queue/run-pipeline/plan-link';
import { DATABASE_URL, TEST_SECRET_BOX } from '../../helpers/database';

/**
 * A person linked by hand (or re-linked) changes what their marks and attendance mean on the
 * platform, while the МИС records stay the same: an incremental nightly read would skip their days
 * until the next full reconciliation, though the dashboard says «Следующая синхронизация сверит их».
 * The merge forgets the dated read state, so the next run reads everything. Real PostgreSQL.
 */
describe('identity merge and the dated read state (real PostgreSQL)', () => {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  let store: Store;
  beforeAll(async () => {
    store = await openStore({ databaseUrl: DATABASE_URL, schema, secretBox: TEST_SECRET_BOX });
  });
  afterAll(async () => {
    await store?.close();
    await dropSchema(DATABASE_URL, schema);
  });

  const actor = { actorOid: 'oid-1', actorName: 'Оператор' };
  const merge = (targetId: string) => store.identityMerges.link({ linkId: 'L1', schoolId: 's1', entity: 'pupils', sourceId: 'p1', targetId, reason: 'проверено' }, actor);

  it('a merge that changes the id map clears the dated read state (and a pending one); one that changes nothing keeps it', async () => {
    await store.idMap.put('L1', [{ entity: 'pupils', sourceId: 'p1', targetId: 'T1', matchedBy: 'name_birthdate' }]);
    const setState = async () => {
      await store.cursors.advance('L1', DATED_READ_CURSOR, '{"version":1}', 'run-1');
      await store.cursors.advance('L1', DATED_READ_PENDING_CURSOR, '{"version":1}', 'run-2');
      await store.cursors.advance('L2', DATED_READ_CURSOR, '{"version":1}', 'run-9');
    };
    await setState();
    expect((await merge('T1')).changed).toBe(false);
    expect(await store.cursors.get('L1', DATED_READ_CURSOR)).not.toBeNull();

    expect((await merge('T2')).changed).toBe(true);
    expect(await store.cursors.get('L1', DATED_READ_CURSOR)).toBeNull();
    expect(await store.cursors.get('L1', DATED_READ_PENDING_CURSOR)).toBeNull();
    // Another link's state is its own.
    expect(await store.cursors.get('L2', DATED_READ_CURSOR)).not.toBeNull();
  });
});
