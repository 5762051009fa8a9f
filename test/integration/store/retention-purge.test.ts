import { randomUUID } from 'node:crypto';
import { purgeRunData, type Store } from '../../../src/store';
import { freshStore, type StoreKind } from '../../helpers/database';

const ACTOR = { actorOid: 'cli', actorName: 'командная строка (test)' };
const NOW = new Date('2027-12-01T00:00:00Z');

async function finishedRun(store: Store, finishedAt: string, status: 'succeeded' | 'held' = 'succeeded') {
  const run = await store.runs.create({ id: `run-${randomUUID().slice(0, 8)}`, linkId: `link-${randomUUID().slice(0, 6)}`, schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
  await store.changes.stage(run.id, [{ changeId: 'pupils.update.p1', seq: 0, phase: 7, entity: 'pupils', op: 'update', sourceId: 'p1', targetId: '1', before: { lastName: 'Иванов' }, after: { lastName: 'Иванова' }, changedFields: ['lastName'] }]);
  const attempt = await store.deliveries.start({ runId: run.id, linkId: run.linkId, changeId: 'pupils.update.p1', entity: 'pupils', operation: 'update', sourceId: 'p1' });
  await store.deliveries.finish(attempt.id, { outcome: 'succeeded', durationMs: 3 });
  if (status === 'held') await store.runs.transition(run.id, 'held');
  else {
    await store.runs.transition(run.id, 'applying');
    await store.runs.transition(run.id, 'succeeded');
  }
  await store.db.updateTable('runs').set({ finished_at: new Date(finishedAt) }).where('id', '=', run.id).execute();
  return run.id;
}

describe.each<StoreKind>(['postgres', 'pglite'])('retention purge on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await freshStore(kind));
  });
  afterAll(() => cleanup());

  it('drops personal data after 400 days, whole runs after 5 years, keeps recent and held runs, and audits it', async () => {
    const recent = await finishedRun(store, '2027-10-01T00:00:00Z');
    const yearOld = await finishedRun(store, '2026-09-01T00:00:00Z');
    const ancient = await finishedRun(store, '2022-06-01T00:00:00Z');
    const held = await finishedRun(store, '2020-01-01T00:00:00Z', 'held');
    const result = await purgeRunData(store.db, ACTOR, NOW);
    expect(result).toEqual({ redactedRuns: 1, deletedRuns: 1 });
    expect((await store.changes.list(recent))[0].after).toEqual({ lastName: 'Иванова' });
    const redacted = (await store.changes.list(yearOld))[0];
    expect([redacted.before ?? null, redacted.after ?? null]).toEqual([null, null]);
    expect(redacted.changeId).toBe('pupils.update.p1');
    expect(await store.deliveries.forRun(yearOld)).toHaveLength(1);
    expect(await store.runs.get(ancient)).toBeNull();
    expect(await store.deliveries.forRun(ancient)).toEqual([]);
    expect(await store.runs.get(held)).not.toBeNull();
    const audit = await store.audit.list({ limit: 5 });
    expect(audit[0]).toMatchObject({ action: 'retention.purged', details: { redactedRuns: 1, deletedRuns: 1 } });
    // Nothing more to do the second time, and nothing audited for it.
    expect(await purgeRunData(store.db, ACTOR, NOW)).toEqual({ redactedRuns: 0, deletedRuns: 0 });
    expect((await store.audit.list({ limit: 5 })).filter((a) => a.action === 'retention.purged')).toHaveLength(1);
  });
});
