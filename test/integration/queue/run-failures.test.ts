import { EjsyncError, makeFinding } from '../../../src/model';
import { rollbackRun } from '../../../src/queue/run-pipeline/rollback-run';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { tinySchool } from '../../helpers/school-fixture';

describe('runs that cannot go ahead', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('pglite'));
  });
  afterEach(async () => cleanup());

  it('an unreadable МИС export fails the run with delivery.source_unreadable and keeps its findings', async () => {
    const { platform } = tinySchool();
    const stand = await startPipelineStand(store, new FakePlatform(platform), () => tinySchool().source);
    try {
      stand.ctx.readSource = async () => ({ format: null, snapshot: null, findings: [makeFinding('input.not_found', { detail: '/exports/school-1' })], counts: {} });
      const run = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['failed', 'succeeded']);
      expect(done).toMatchObject({ status: 'failed', errorCode: 'delivery.source_unreadable', writes: 0 });
      expect((await store.findings.forRun(run.id)).map((f) => f.code)).toEqual(['input.not_found']);
      expect(stand.finished.map((r) => r.id)).toContain(run.id);
    } finally {
      await stand.close();
    }
  });

  it('a platform that stays unavailable through every planning attempt fails the run (delivery.plan_failed), not left planned', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    let reads = 0;
    fake.readSnapshot = async () => {
      reads++;
      throw new EjsyncError('dnevnik.server_error', { retryable: true });
    };
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const run = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['failed', 'succeeded'], 40_000);
      expect(done).toMatchObject({ status: 'failed', errorCode: 'dnevnik.server_error' });
      expect(reads).toBe(3);
      expect((await store.findings.forRun(run.id)).map((f) => f.code)).toEqual(['delivery.plan_failed']);
      expect(stand.finished.map((r) => r.id)).toContain(run.id);
    } finally {
      await stand.close();
    }
  }, 60_000);

  it('a person directory that cannot be refreshed (another encryption key) does not stop the sync', async () => {
    const { source, platform } = tinySchool();
    const stand = await startPipelineStand(store, new FakePlatform(platform), () => source);
    try {
      store.personDirectory.replaceSchool = async () => {
        throw new EjsyncError('store.secret_tampered');
      };
      const run = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['failed', 'succeeded', 'partial']);
      expect(done.status).toBe('succeeded');
      const finding = (await store.findings.forRun(run.id)).find((f) => f.code === 'delivery.directory_not_refreshed');
      expect(finding).toMatchObject({ severity: 'warning', message: expect.stringContaining('store.secret_tampered') });
    } finally {
      await stand.close();
    }
  });

  it('a platform that refuses to be read fails the run with delivery.target_unreadable', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    fake.readSnapshot = async () => Promise.reject(new EjsyncError('esia.access_denied'));
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const run = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['failed', 'succeeded']);
      expect(done.status).toBe('failed');
      expect((await store.findings.forRun(run.id)).map((f) => f.code)).toEqual(['delivery.target_unreadable']);
    } finally {
      await stand.close();
    }
  });

  it('a failed run says delivery.failed; what has no before-value cannot be rolled back', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    fake.failNext(10, () => new EjsyncError('reconcile.ambiguous_match'));
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const run = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['failed', 'partial', 'succeeded']);
      expect(done).toMatchObject({ status: 'failed', errorCode: 'delivery.failed' });
      // An update applied without a logged before-value (as an old run may have).
      await store.changes.stage(run.id, [{ changeId: 'marks.update.legacy', seq: 99, phase: 15, entity: 'marks', op: 'update', sourceId: 'm-old', targetId: '9000000000000000042', before: undefined, after: { value: '5' }, changedFields: ['value'] }]);
      await store.changes.markApplied(run.id, 'marks.update.legacy', '9000000000000000042');
      const { notInvertible } = await rollbackRun(stand.ctx, run.id, { actorOid: 'cli', actorName: 'тест' });
      expect(notInvertible.map((f) => [f.code, f.sourceId])).toEqual([['delivery.not_invertible', 'm-old']]);
    } finally {
      await stand.close();
    }
  });

  it('a platform that keeps refusing a token (429 after 429) fails the delivery with dnevnik.rate_limited after the policy’s limit', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    // Every write is refused for a short while, many times over.
    fake.failNext(100, () => new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 30 }));
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      stand.ctx.retryPolicy = () => ({ attempts: 6, backoffMs: 100, jitter: 0.5, rateLimitedAttempts: 3, stepAsideCeilingMs: 30_000 });
      const run = await startRun(stand.ctx, testLink(), { trigger: 'schedule', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['failed', 'partial', 'succeeded']);
      expect(done.status).toBe('failed');
      expect(done.writes).toBe(0);
      const [work] = await store.changes.list(run.id);
      expect(work).toMatchObject({ entity: 'works', status: 'failed', lastErrorCode: 'dnevnik.rate_limited' });
      // Three refusals of that delivery, logged; then it stopped (its marks never went: they need it).
      const attempts = (await store.deliveries.forRun(run.id)).filter((d) => d.changeId === work.changeId);
      expect(attempts.map((a) => a.errorCode)).toEqual(['dnevnik.rate_limited', 'dnevnik.rate_limited', 'dnevnik.rate_limited']);
      expect(fake.writes).toBe(0);
    } finally {
      await stand.close();
    }
  });
});
