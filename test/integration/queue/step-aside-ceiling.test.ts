import { Redis } from 'ioredis';
import { DEFAULT_RETRY_POLICY } from '../../../src/config/retry-policy';
import { EjsyncError } from '../../../src/model';
import { deliveryLaneOf } from '../../../src/queue/queue-names';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { REDIS_URL } from '../../helpers/redis';
import { tinySchool } from '../../helpers/school-fixture';

/**
 * A 429 naming a wait longer than the retry policy's step-aside ceiling (issue 18 point 5): the
 * deliveries step aside for the ceiling at most, come back, find the token still held and step
 * aside again — nothing sent, no attempt burnt — and deliver once the wait is over. The delays
 * BullMQ stored for the jobs are asserted, not how long the run took. Real Redis, real PostgreSQL.
 */
describe('step-aside ceiling', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('a 6 s wait with a 1 s ceiling: every step-aside lasts at most 1 s, one refusal is logged, no attempt is burnt', async () => {
    const CEILING = 1000;
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    fake.failNext(1, () => new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 6000 }));
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      stand.ctx.retryPolicy = () => ({ ...DEFAULT_RETRY_POLICY, stepAsideCeilingMs: CEILING });
      const link = testLink();
      const run = await startRun(stand.ctx, link, { trigger: 'schedule', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['failed', 'partial', 'succeeded']);
      expect(done.status).toBe('succeeded');
      const lane = stand.ctx.deliveryQueue(deliveryLaneOf(link.target));
      const jobs = await lane.getJobs(['completed']);
      const log = await store.deliveries.forRun(run.id);
      const refused = log.filter((d) => d.errorCode === 'dnevnik.rate_limited');
      expect(refused).toHaveLength(1);
      const refusedJob = jobs.find((j) => j.data.changeId === refused[0].changeId)!;
      // Each step-aside as BullMQ recorded it: the event's own time (its stream id, Redis's clock)
      // and the time the job was to come back.
      const redis = new Redis(REDIS_URL);
      const events = await redis.xrange(`${lane.qualifiedName}:events`, '-', '+').finally(() => redis.disconnect());
      const stepAsides = events
        .map(([id, fields]) => ({ at: Number(id.split('-')[0]), f: Object.fromEntries(fields.flatMap((_, i) => (i % 2 ? [] : [[fields[i], fields[i + 1]]]))) }))
        .filter((e) => e.f.event === 'delayed')
        .map((e) => ({ jobId: e.f.jobId, ms: Number(e.f.delay) - e.at }));
      const ofRefused = stepAsides.filter((e) => e.jobId === refusedJob.id);
      // The refused delivery stepped aside for no more than the ceiling each time, so it came back
      // to look several times within the 6 s (before: one step-aside of 6 s) …
      expect(ofRefused.length).toBeGreaterThanOrEqual(3);
      expect(stepAsides.every((e) => e.ms > 0 && e.ms <= CEILING + 1)).toBe(true);
      expect(refusedJob.attemptsStarted).toBeGreaterThanOrEqual(3);
      // … and none of that counted as an attempt: it was delivered at its first attempt.
      expect(jobs.every((j) => j.attemptsMade === 1)).toBe(true);
      expect(log.filter((d) => d.changeId === refused[0].changeId).map((d) => d.outcome)).toEqual(['failed', 'succeeded']);
    } finally {
      await stand.close();
    }
  });
});
