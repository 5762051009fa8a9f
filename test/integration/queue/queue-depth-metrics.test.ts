import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { Registry } from 'prom-client';
import { registerQueueDepthMetrics } from '../../../src/queue/queue-depth-metrics';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

describe('queue depth metrics (real Redis)', () => {
  it('reports waiting and delayed jobs and the oldest waiting age at scrape time', async () => {
    const ctx = await redisTestContext();
    const queue = new Queue('plan', { connection: { url: REDIS_URL }, prefix: ctx.prefix });
    try {
      await queue.add('a', { runId: 'r1' }, { timestamp: Date.now() - 30_000 });
      await queue.add('b', { runId: 'r2' });
      await queue.add('c', { runId: 'r3' }, { delay: 60_000 });
      const registry = new Registry();
      registerQueueDepthMetrics(registry, { queues: () => [queue] });
      const text = await registry.metrics();
      expect(text).toContain('ejsync_queue_jobs{queue="plan",state="waiting"} 2');
      expect(text).toContain('ejsync_queue_jobs{queue="plan",state="delayed"} 1');
      expect(text).toContain('ejsync_queue_jobs{queue="plan",state="failed"} 0');
      expect(text).toContain('ejsync_queue_scrape_ok 1');
      const age = Number(/ejsync_queue_oldest_waiting_seconds\{queue="plan"\} ([\d.]+)/.exec(text)?.[1]);
      expect(age).toBeGreaterThanOrEqual(29);
      expect(age).toBeLessThan(120);
    } finally {
      await queue.close();
      await ctx.cleanup();
    }
  });

  it('answers within the timeout when Redis does not (closed port)', async () => {
    // Retries for about 1.5 s (longer than the scrape timeout), then gives up so the test leaves nothing open.
    const connection = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: null, retryStrategy: (n) => (n > 6 ? null : 250) });
    connection.on('error', () => undefined);
    const queue = new Queue('plan', { connection, prefix: 'ejtest-closed' });
    queue.on('error', () => undefined);
    try {
      const registry = new Registry();
      registerQueueDepthMetrics(registry, { queues: () => [queue], timeoutMs: 300 });
      const started = Date.now();
      const text = await registry.metrics();
      expect(Date.now() - started).toBeLessThan(2_000);
      expect(text).toContain('ejsync_queue_scrape_ok 0');
      expect(text).not.toMatch(/ejsync_queue_jobs\{/);
    } finally {
      connection.disconnect();
      await queue.close().catch(() => undefined);
    }
  });
});
