import { Queue, type Worker } from 'bullmq';
import type { TargetConnector } from '../../../src/connectors/target-connector';
import { loadDnevnikPlatform } from '../../../src/config/platform-config';
import { dnevnikDeliveryLanes } from '../../../src/queue/dnevnik-connector-factory';
import { PipelineMetrics } from '../../../src/queue/metrics';
import { deliveryLaneOf, deliveryQueueName, PLAN_QUEUE } from '../../../src/queue/queue-names';
import type { PipelineContext } from '../../../src/queue/run-pipeline/pipeline-context';
import { startPipelineWorkers } from '../../../src/queue/run-pipeline/pipeline-workers';
import { retryFailed } from '../../../src/queue/run-pipeline/run-actions';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import { watchRuns } from '../../../src/queue/watchdog/run-watchdog';
import type { RunRecord, Store } from '../../../src/store';
import type { SourceReadResult } from '../../../src/model';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { testLink } from '../../helpers/pipeline-stand';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';
import { tinySchool } from '../../helpers/school-fixture';

const ACTOR = { actorOid: 'cli', actorName: 'тест' };
const LINK = testLink();
const LANE = deliveryLaneOf(LINK.target);
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * The run pipeline's queues on the real Redis (own prefix) over a real PostgreSQL schema, with
 * workers started one kind at a time: a lane without a worker keeps its jobs waiting, and
 * obliterating a queue is Redis losing its jobs (a restart without persistence).
 */
async function stand(connector: TargetConnector) {
  const { store, cleanup: dropStore } = await freshStore('postgres');
  const redis = await redisTestContext();
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const planQueue = new Queue(PLAN_QUEUE, { connection, prefix: redis.prefix });
  const queues = new Map<string, Queue>();
  const { source } = tinySchool();
  const finished: RunRecord[] = [];
  const ctx: PipelineContext = {
    store,
    planQueue,
    deliveryQueue: (lane) => {
      if (!queues.has(lane)) queues.set(lane, new Queue(deliveryQueueName(lane), { connection, prefix: redis.prefix }));
      return queues.get(lane)!;
    },
    readSource: async (): Promise<SourceReadResult> => ({ format: 'mis-json', snapshot: source, findings: [], counts: {} }),
    connectorFor: async () => connector,
    now: () => new Date('2026-09-20T10:00:00+05:00'),
    metrics: new PipelineMetrics(),
    onRunFinished: async (run) => {
      finished.push(run);
    },
  };
  const lanes = dnevnikDeliveryLanes(loadDnevnikPlatform()).map((l) => ({ ...l, rateLimit: { max: 1000, durationMs: 1000 } }));
  const workers: Worker[] = [];
  await store.links.upsert({ id: LINK.id, name: LINK.name, schoolId: LINK.school.sourceId, platform: 'dnevnik', config: LINK });
  return {
    store,
    ctx,
    finished,
    lane: () => ctx.deliveryQueue(LANE),
    startPlanner: () => workers.push(...startPipelineWorkers(ctx, { connection, prefix: redis.prefix, plan: true, lanes: [], linkBusyRetryMs: 100 })),
    startLanes: () => workers.push(...startPipelineWorkers(ctx, { connection, prefix: redis.prefix, plan: false, lanes })),
    async waitFor(runId: string, statuses: string[], timeoutMs = 20_000): Promise<RunRecord> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await store.runs.require(runId);
        if (statuses.includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`run ${runId} stayed ${run.status}`);
        await sleep(50);
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await planQueue.close();
      for (const q of queues.values()) await q.close();
      await redis.cleanup();
      await dropStore();
    },
  };
}

type Stand = Awaited<ReturnType<typeof stand>>;

/** A run that reached applying, its first phase queued in a lane nobody serves — then Redis lost the jobs. */
async function applyingRunWithLostJobs(s: Stand): Promise<RunRecord> {
  s.startPlanner();
  const run = await startRun(s.ctx, LINK, { trigger: 'person', environment: 'emulator' });
  await s.waitFor(run.id, ['applying']);
  // The first phase is queued just after the run moved to applying.
  const queued = async () => Object.values(await s.lane().getJobCounts('prioritized', 'wait')).reduce((a, b) => a + b, 0);
  for (const deadline = Date.now() + 10_000; (await queued()) === 0 && Date.now() < deadline; ) await sleep(20);
  expect(await queued()).toBeGreaterThan(0);
  await s.lane().obliterate({ force: true });
  return run;
}

describe('run watchdog: no run stays stuck (real Redis, real PostgreSQL)', () => {
  let s: Stand;
  let fake: FakePlatform;
  beforeEach(async () => {
    fake = new FakePlatform(tinySchool().platform);
    s = await stand(fake);
  });
  afterEach(async () => s.close());

  it('an applying run whose jobs Redis lost is queued again once idle long enough, idempotently, and completes with every change written once', async () => {
    const run = await applyingRunWithLostJobs(s);
    // Idle, but not for long enough yet: nothing is done.
    const early = await watchRuns(s.ctx, { stallAfterMs: 60_000 });
    expect(early).toEqual({ watched: 1, idle: 1, recovered: [], failed: [] });
    expect(await s.lane().getJobCounts('prioritized', 'wait')).toEqual({ prioritized: 0, wait: 0 });

    const late = await watchRuns(s.ctx, { stallAfterMs: 0 });
    expect(late).toMatchObject({ watched: 1, idle: 1, recovered: [run.id], failed: [] });
    const pendingInPhase = await s.store.changes.list(run.id, { status: 'pending', phase: (await s.store.changes.lowestPendingPhase(run.id))! });
    const queued = await s.lane().getJobCounts('prioritized', 'wait');
    expect(queued.prioritized + queued.wait).toBe(pendingInPhase.length);
    // Now the run has live jobs: the next look leaves it alone (and a re-queue would add nothing).
    expect(await watchRuns(s.ctx, { stallAfterMs: 0 })).toEqual({ watched: 1, idle: 0, recovered: [], failed: [] });

    s.startLanes();
    const done = await s.waitFor(run.id, ['succeeded', 'partial', 'failed']);
    expect(done.status).toBe('succeeded');
    expect(fake.writes).toBe(4);
    expect((await s.store.findings.forRun(run.id, 50)).map((f) => f.code)).toContain('run.recovered');
  });

  it('a planned run whose planning job was lost gets it again; after maxRecoveries it fails with run.stalled', async () => {
    // A run the store has but the queue never got (Redis lost the planning job).
    const lost = await s.store.runs.create({ id: 'run-lost-plan', linkId: LINK.id, schoolId: LINK.school.sourceId, trigger: 'person', environment: 'emulator' });
    // A run with its planning job waiting (no planner yet) is not idle.
    const waiting = await startRun(s.ctx, LINK, { trigger: 'person', environment: 'emulator' });
    const first = await watchRuns(s.ctx, { stallAfterMs: 0, maxRecoveries: 1 });
    expect(first).toEqual({ watched: 2, idle: 1, recovered: [lost.id], failed: [] });
    expect(await s.ctx.planQueue.getJob(`plan.${lost.id}.r1`)).toBeDefined();

    await s.ctx.planQueue.obliterate({ force: true });
    const second = await watchRuns(s.ctx, { stallAfterMs: 0, maxRecoveries: 1 });
    expect(second.failed).toEqual([lost.id]);
    const failed = await s.store.runs.require(lost.id);
    expect({ status: failed.status, errorCode: failed.errorCode }).toEqual({ status: 'failed', errorCode: 'run.stalled' });
    expect((await s.store.findings.forRun(lost.id, 10)).map((f) => f.code)).toEqual(['run.stalled']);
    expect(s.finished.map((r) => r.id)).toContain(lost.id);
    // The other run lost its job too: it is queued again (its first recovery).
    expect(second.recovered).toEqual([waiting.id]);
  });

  it('retry re-queues pending deliveries (not only failed ones), also of a run the watchdog failed with run.stalled', async () => {
    const run = await applyingRunWithLostJobs(s);
    const pendingBefore = (await s.store.changes.list(run.id, { status: 'pending' })).length;
    const retried = await retryFailed(s.ctx, run.id, ACTOR);
    expect(retried).toMatchObject({ requeued: pendingBefore, pending: pendingBefore, failed: 0, planRequeued: false });
    await s.lane().obliterate({ force: true });
    // The watchdog gives up on it (no recoveries allowed): failed with run.stalled, changes still pending.
    await watchRuns(s.ctx, { stallAfterMs: 0, maxRecoveries: 0 });
    expect((await s.store.runs.require(run.id)).errorCode).toBe('run.stalled');
    const again = await retryFailed(s.ctx, run.id, ACTOR);
    expect(again).toMatchObject({ pending: pendingBefore, failed: 0, run: expect.objectContaining({ status: 'applying' }) });
    // Applying again starts the watchdog's count afresh: lost once more, it is recovered, not failed.
    await s.lane().obliterate({ force: true });
    expect(await watchRuns(s.ctx, { stallAfterMs: 0, maxRecoveries: 1 })).toMatchObject({ recovered: [run.id], failed: [] });
    s.startLanes();
    expect((await s.waitFor(run.id, ['succeeded', 'partial', 'failed'])).status).toBe('succeeded');
    expect(fake.writes).toBe(4);
    expect((await s.store.audit.list()).map((a) => a.action)).toEqual(expect.arrayContaining(['run.retry', 'run.applying']));
  });
});

describe('one run per link through the queue', () => {
  it('two runs of one link started at once: the second waits for the first and then plans against what it left (no duplicate writes)', async () => {
    const fake = new FakePlatform(tinySchool().platform);
    // Slow writes, so the first run is still applying when the second would plan.
    const slow = new Proxy(fake, {
      get(target, prop) {
        if (prop === 'apply') return async (change: Parameters<FakePlatform['apply']>[0]) => (await sleep(150), target.apply(change));
        const value = Reflect.get(target, prop) as unknown;
        return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
      },
    });
    const s = await stand(slow);
    try {
      s.startPlanner();
      s.startLanes();
      const [a, b] = await Promise.all([startRun(s.ctx, LINK, { trigger: 'schedule', environment: 'emulator' }), startRun(s.ctx, LINK, { trigger: 'person', environment: 'emulator' })]);
      // Whichever claimed the link first applies; the other stays planned, naming it.
      let first: RunRecord | null = null;
      let maxApplying = 0;
      for (const deadline = Date.now() + 20_000; Date.now() < deadline; await sleep(20)) {
        const runs = await Promise.all([s.store.runs.require(a.id), s.store.runs.require(b.id)]);
        maxApplying = Math.max(maxApplying, runs.filter((r) => r.status === 'applying').length);
        first ??= runs.find((r) => r.status === 'applying') ?? null;
        const other = runs.find((r) => r.id !== first?.id)!;
        if (first && other.summary.waitingFor) {
          expect(other.status).toBe('planned');
          expect(other.summary.waitingFor).toBe(first.id);
          break;
        }
      }
      expect(first).not.toBeNull();
      const second = first!.id === a.id ? b : a;
      const [doneFirst, doneSecond] = [await s.waitFor(first!.id, ['succeeded', 'partial', 'failed']), await s.waitFor(second.id, ['succeeded', 'partial', 'failed'])];
      expect(maxApplying).toBe(1);
      expect([doneFirst.status, doneSecond.status]).toEqual(['succeeded', 'succeeded']);
      expect(fake.writes).toBe(4);
      expect({ first: doneFirst.writes, second: doneSecond.writes }).toEqual({ first: 4, second: 0 });
      expect(doneSecond.summary.waitingFor).toBeUndefined();
      expect(fake.snapshot().works).toHaveLength(1);
    } finally {
      await s.close();
    }
  });
});
