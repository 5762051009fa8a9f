import { Writable } from 'node:stream';
import { Queue } from 'bullmq';
import { createLogger } from '../../../src/config/logger';
import { EjsyncError } from '../../../src/model';
import { registerQueueDepthMetrics } from '../../../src/queue/queue-depth-metrics';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { buildOpsServer } from '../../../src/web/ops-server';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';
import { tinySchool } from '../../helpers/school-fixture';

type Line = Record<string, unknown> & { msg: string };

/** Captures what a pino logger writes, one parsed JSON object per line. */
function captureLog(): { stream: Writable; lines: Line[] } {
  const lines: Line[] = [];
  let rest = '';
  const stream = new Writable({
    write(chunk: Buffer, _encoding, done) {
      const text = rest + chunk.toString('utf8');
      const parts = text.split('\n');
      rest = parts.pop() ?? '';
      for (const part of parts) if (part.trim()) lines.push(JSON.parse(part) as Line);
      done();
    },
  });
  return { stream, lines };
}

/**
 * Issue 14 (4, 5): the workers log each job through a child logger bound to the run, the link and
 * the job, and `/metrics` shows how long plans take and how long deliveries waited.
 */
describe('run logs and metrics of the workers (real Redis, real PostgreSQL)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('every line about a run carries runId, linkId and jobId; /metrics has plan duration, delivery lag and the oldest waiting job', async () => {
    const { source, platform } = tinySchool();
    const fake = new FakePlatform(platform);
    // One transient failure: a retried delivery logs too.
    fake.failNext(1, () => new EjsyncError('esia.unreachable', { retryable: true }));
    const log = captureLog();
    const logger = createLogger({ level: 'debug', destination: log.stream });
    const stand = await startPipelineStand(store, fake, () => source, undefined, undefined, { logger });
    const redis = await redisTestContext();
    const idle = new Queue('delivery-nobody-serves', { connection: { url: REDIS_URL }, prefix: redis.prefix });
    const ops = buildOpsServer({ registry: stand.ctx.metrics!.registry, checks: [] });
    try {
      const run = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      const done = await stand.waitFor(run.id, ['succeeded', 'partial', 'failed', 'held']);
      expect(done.status).toBe('succeeded');
      // The last lines are written just after the run's status changes.
      await new Promise((r) => setTimeout(r, 300));

      const aboutRuns = log.lines.filter((l) => 'runId' in l || /\brun\b/.test(l.msg));
      expect(aboutRuns.length).toBeGreaterThanOrEqual(7);
      for (const line of aboutRuns) {
        expect({ msg: line.msg, runId: line.runId, linkId: line.linkId, hasJobId: typeof line.jobId === 'string' && line.jobId.length > 0 }).toEqual({ msg: line.msg, runId: run.id, linkId: 'link-1', hasJobId: true });
      }
      const byMsg = (msg: string) => aboutRuns.filter((l) => l.msg === msg);
      expect(byMsg('plan job done')).toEqual([expect.objectContaining({ status: 'applying' })]);
      const delivered = byMsg('delivery done');
      expect(delivered).toHaveLength(4);
      // Each delivery its own job, and not the planning job's.
      expect(new Set(delivered.map((l) => l.jobId)).size).toBe(4);
      expect(delivered.map((l) => l.jobId)).not.toContain(byMsg('plan job done')[0].jobId);
      expect(byMsg('delivery failed: it will be retried')).toEqual([expect.objectContaining({ code: 'esia.unreachable' })]);
      expect(byMsg('run finished')).toEqual([expect.objectContaining({ status: 'succeeded', applied: 4, failed: 0 })]);
      // Ids only: nothing of the school's people.
      const text = JSON.stringify(log.lines);
      for (const pupil of source.pupils) expect(text).not.toContain(pupil.lastName);

      // A job nobody serves waits: the oldest waiting job's age shows it.
      registerQueueDepthMetrics(stand.ctx.metrics!.registry, { queues: () => [idle] });
      await idle.add('deliver', { runId: 'r', changeId: 'c', linkId: 'l', phase: 0 }, { timestamp: Date.now() - 90_000 });
      const metrics = await (await ops.inject({ method: 'GET', url: '/metrics' })).body;
      expect(metrics).toMatch(/ejsync_plan_duration_seconds_count\{outcome="applying"\} 1\n/);
      expect(metrics).toMatch(/ejsync_plan_duration_seconds_sum\{outcome="applying"\} (0\.\d*[1-9]|[1-9])/);
      const lag = /ejsync_delivery_lag_seconds_count\{lane="([^"]+)"\} (\d+)\n/.exec(metrics);
      expect(lag?.[2]).toBe('4');
      expect(lag?.[1]).toMatch(/^dnevnik/);
      // Lag counts from the enqueueing: at least one delivery waited out the retry's backoff.
      expect(metrics).toMatch(new RegExp(`ejsync_delivery_lag_seconds_bucket\\{le="0.1",lane="${lag![1]}"\\} [0-3]\\n`));
      const oldest = /ejsync_queue_oldest_waiting_seconds\{queue="delivery-nobody-serves"\} ([\d.]+)/.exec(metrics);
      expect(Number(oldest?.[1])).toBeGreaterThanOrEqual(90);
    } finally {
      await ops.close();
      await idle.obliterate({ force: true }).catch(() => undefined);
      await idle.close();
      await redis.cleanup();
      await stand.close();
    }
  });
});
