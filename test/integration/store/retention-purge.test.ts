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
    expect(result).toEqual({ redactedRuns: 1, deletedRuns: 1, redactedWorklist: 0, deletedRosters: 0, deletedExports: 0 });
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
    expect(await purgeRunData(store.db, ACTOR, NOW)).toEqual({ redactedRuns: 0, deletedRuns: 0, redactedWorklist: 0, deletedRosters: 0, deletedExports: 0 });
    expect((await store.audit.list({ limit: 5 })).filter((a) => a.action === 'retention.purged')).toHaveLength(1);
  });

  it('empties the sealed fields of worklist actions resolved before the window and drops rosters of links that stopped syncing', async () => {
    const sealed = JSON.stringify({ sealed: 'v1.opaque' });
    const action = (id: string, status: string, resolvedAt: string | null) => ({
      link_id: 'link-w', action_id: id, school_id: 'school-1', entity: 'pupils', op: 'update', source_id: id, title: 'Перевод ученика', reason: 'нет в API',
      fields: sealed, status, first_run_id: 'run-x', last_run_id: 'run-x', resolved_at: resolvedAt ? new Date(resolvedAt) : null,
    });
    await store.db
      .insertInto('manual_worklist')
      .values([action('old-resolved', 'resolved', '2026-01-10T00:00:00Z'), action('new-resolved', 'resolved', '2027-11-01T00:00:00Z'), action('old-open', 'open', null), action('old-done', 'done', null)])
      .execute();
    await store.db
      .insertInto('school_rosters')
      .values([
        { link_id: 'link-gone', school_id: 'school-1', roster: sealed, refreshed_at: new Date('2026-05-01T00:00:00Z') },
        { link_id: 'link-live', school_id: 'school-1', roster: sealed, refreshed_at: new Date('2027-11-30T00:00:00Z') },
      ])
      .execute();
    expect(await purgeRunData(store.db, ACTOR, NOW)).toEqual({ redactedRuns: 0, deletedRuns: 0, redactedWorklist: 1, deletedRosters: 1, deletedExports: 0 });
    const rows = await store.db.selectFrom('manual_worklist').select(['action_id', 'fields']).where('link_id', '=', 'link-w').orderBy('action_id').execute();
    const empty = (v: unknown) => JSON.stringify(typeof v === 'string' ? JSON.parse(v) : v) === '[]';
    expect(Object.fromEntries(rows.map((r) => [r.action_id, empty(r.fields)]))).toEqual({ 'new-resolved': false, 'old-done': false, 'old-open': false, 'old-resolved': true });
    expect((await store.db.selectFrom('school_rosters').select('link_id').execute()).map((r) => r.link_id)).toEqual(['link-live']);
    expect((await store.audit.list({ limit: 1 }))[0]).toMatchObject({ action: 'retention.purged', details: { redactedWorklist: 1, deletedRosters: 1 } });
    expect(await purgeRunData(store.db, ACTOR, NOW)).toMatchObject({ redactedWorklist: 0, deletedRosters: 0, deletedExports: 0 });
  });
});
