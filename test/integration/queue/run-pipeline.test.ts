import { EjsyncError } from '../../../src/model';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import { approveRun, discardRun, retryFailed } from '../../../src/queue/run-pipeline/run-actions';
import { rollbackRun } from '../../../src/queue/run-pipeline/rollback-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { tinySchool } from '../../helpers/school-fixture';

describe('run pipeline through BullMQ (real Redis, real PostgreSQL)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('applies creates in dependency order, logs every delivery, and a second run writes nothing', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const run1 = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      const done1 = await stand.waitFor(run1.id, ['succeeded', 'partial', 'failed', 'held']);
      expect(done1.status).toBe('succeeded');
      expect(done1.writes).toBe(4);
      expect(fake.writes).toBe(4);
      const state = fake.snapshot();
      expect(state.works).toHaveLength(1);
      expect(state.marks.map((m) => m.value).sort()).toEqual(['4', '5']);
      // References were translated into platform ids before delivery.
      expect(state.marks[0].workId).toBe(state.works[0].sourceId);
      expect(state.attendance[0]).toMatchObject({ status: 'ill', pupilId: platform.pupils[1].sourceId, lessonId: platform.lessons[0].sourceId });
      const log = await store.deliveries.forRun(run1.id);
      expect(log.filter((d) => d.outcome === 'succeeded')).toHaveLength(4);
      expect(await store.cursors.get('link-1', 'last_clean_run')).not.toBeNull();

      const run2 = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      const done2 = await stand.waitFor(run2.id, ['succeeded', 'partial', 'failed', 'held']);
      expect(done2.status).toBe('succeeded');
      expect(done2.writes).toBe(0);
      expect(fake.writes).toBe(4);
    } finally {
      await stand.close();
    }
  });

  it('retries transient failures with backoff and stops permanent ones with their code (partial run)', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    fake.failNext(2, () => new EjsyncError('esia.unreachable', { retryable: true }));
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const run = await startRun(stand.ctx, testLink(), { trigger: 'person', triggeredBy: '1000100002', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['succeeded', 'partial', 'failed']);
      expect(done.status).toBe('succeeded');
      const attempts = await store.deliveries.forRun(run.id);
      expect(attempts.filter((a) => a.outcome === 'failed' && a.retryable)).toHaveLength(2);
      expect(fake.writes).toBe(4);

      source.marks[0].value = '3';
      fake.failNext(1, () => new EjsyncError('reconcile.ambiguous_match'));
      const run2 = await startRun(stand.ctx, testLink(), { trigger: 'person', environment: 'emulator' });
      const done2 = await stand.waitFor(run2.id, ['succeeded', 'partial', 'failed']);
      expect(done2.status).toBe('failed');
      const failed = await store.changes.list(run2.id, { status: 'failed' });
      expect(failed.map((c) => c.lastErrorCode)).toEqual(['reconcile.ambiguous_match']);
      const [failedAttempt] = await store.deliveries.forRun(run2.id);
      expect(failedAttempt).toMatchObject({ outcome: 'failed', errorCode: 'reconcile.ambiguous_match', retryable: false });
      // The delivery log keeps what went wrong, in Russian, after the queue forgets the job.
      expect(failedAttempt.detail).toBe('Неоднозначное сопоставление записи');
      const metrics = await stand.ctx.metrics!.text();
      expect(metrics).toMatch(/ejsync_deliveries_total\{platform="dnevnik",entity="marks",operation="update",outcome="failed",code="reconcile.ambiguous_match"\} 1/);
      expect(metrics).toMatch(/ejsync_runs_finished_total\{status="failed",kind="sync"\} 1/);
      expect(metrics).toMatch(/ejsync_runs_finished_total\{status="succeeded",kind="sync"\} 1/);
    } finally {
      await stand.close();
    }
  });
});

describe('held runs and retries', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('pglite'));
  });
  afterEach(async () => cleanup());

  const ACTOR = { actorOid: '1000100002', actorName: 'Админов С. П.' };

  it('a run over the archive threshold is held; approval delivers it, discard drops it', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    let current = source;
    const stand = await startPipelineStand(store, fake, () => current);
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      expect((await stand.waitFor(first.id, ['succeeded'])).writes).toBe(4);
      // The МИС export lost both marks: archiving 100 % of marks crosses the 10 % threshold.
      current = { ...source, marks: [] };
      const held = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      const waiting = await stand.waitFor(held.id, ['held', 'succeeded', 'failed']);
      expect(waiting.status).toBe('held');
      expect(JSON.stringify(waiting.heldReasons)).toContain('guard.threshold_archive');
      expect(fake.snapshot().marks).toHaveLength(2);
      const discarded = await discardRun(stand.ctx, held.id, ACTOR, 'выгрузка неполная');
      expect(discarded.status).toBe('discarded');
      expect(fake.snapshot().marks).toHaveLength(2);

      const again = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      await stand.waitFor(again.id, ['held']);
      await approveRun(stand.ctx, again.id, ACTOR, 'оценки удалены приказом');
      expect((await stand.waitFor(again.id, ['succeeded', 'partial', 'failed'])).status).toBe('succeeded');
      expect(fake.snapshot().marks).toHaveLength(0);
      const audit = await store.audit.list();
      expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['run.discarded', 'run.approved']));
    } finally {
      await stand.close();
    }
  });

  it('retry re-queues failed deliveries of one code and the run succeeds', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    fake.failNext(1, () => new EjsyncError('reconcile.missing_dependency'));
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const run = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['succeeded', 'partial', 'failed']);
      expect(['partial', 'failed']).toContain(done.status);
      const { requeued } = await retryFailed(stand.ctx, run.id, ACTOR, { code: 'reconcile.missing_dependency' });
      expect(requeued).toBeGreaterThanOrEqual(1);
      expect((await stand.waitFor(run.id, ['succeeded', 'partial', 'failed'])).status).toBe('succeeded');
      expect(fake.writes).toBe(4);
    } finally {
      await stand.close();
    }
  });
});

describe('rollback', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('undoes what a run applied (an update back to its before-value, creates archived), as a linked run', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    let current = source;
    const stand = await startPipelineStand(store, fake, () => current);
    const actor = { actorOid: '1000100002', actorName: 'Админов С. П.' };
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      await stand.waitFor(first.id, ['succeeded']);
      const afterFirst = fake.snapshot();
      current = structuredClone(source);
      current.marks[0].value = '2';
      const second = await startRun(stand.ctx, testLink(), { trigger: 'person', environment: 'emulator' });
      expect((await stand.waitFor(second.id, ['succeeded'])).writes).toBe(1);
      expect(fake.snapshot().marks.map((m) => m.value).sort()).toEqual(['2', '4']);

      const { run: undo, notInvertible } = await rollbackRun(stand.ctx, second.id, actor);
      expect(notInvertible).toEqual([]);
      expect(undo.parentRunId).toBe(second.id);
      const done = await stand.waitFor(undo.id, ['succeeded', 'partial', 'failed']);
      expect(done.status).toBe('succeeded');
      expect(fake.snapshot().marks).toEqual(afterFirst.marks);
      expect(fake.snapshot().attendance).toEqual(afterFirst.attendance);
      expect((await store.runs.require(second.id)).status).toBe('rolled_back');

      const { run: undoFirst } = await rollbackRun(stand.ctx, first.id, actor);
      await stand.waitFor(undoFirst.id, ['succeeded']);
      expect(fake.snapshot().marks).toEqual([]);
      expect(fake.snapshot().works).toEqual([]);
      expect(fake.snapshot().attendance).toEqual([]);
    } finally {
      await stand.close();
    }
  });
});
