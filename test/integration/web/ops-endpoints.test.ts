import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startOpsEndpoints } from '../../../src/cli/ops-endpoints';
import { PLAN_QUEUE } from '../../../src/queue/queue-names';
import { openPipelineRuntime, type PipelineRuntime } from '../../../src/queue/pipeline-runtime';
import { dropSchema } from '../../../src/store';
import { DATABASE_URL } from '../../helpers/database';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

/** Issue 14 (5): the dashboard process (`ejsync serve --metrics-port`) answers /healthz, /readyz and /metrics too. */
describe('dashboard operator endpoints (real Redis, PostgreSQL)', () => {
  const schema = `ops_${Date.now().toString(36)}`;
  let runtime: PipelineRuntime;
  let redis: Awaited<ReturnType<typeof redisTestContext>>;
  let home: string;
  beforeAll(async () => {
    redis = await redisTestContext();
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-ops-'));
    runtime = await openPipelineRuntime({
      env: { home, databaseUrl: DATABASE_URL, databaseSchema: schema, redisUrl: REDIS_URL, queuePrefix: redis.prefix, secretKey: Buffer.alloc(32, 9).toString('base64'), logLevel: 'silent' },
      appConfig: {},
    });
  });
  afterAll(async () => {
    await runtime?.close();
    await redis?.cleanup();
    await dropSchema(DATABASE_URL, schema);
    rmSync(home, { recursive: true, force: true });
  });

  it('is ready when Redis and the store answer; not ready (503, per check) when Redis does not', async () => {
    const env = { home, databaseUrl: DATABASE_URL, databaseSchema: schema, redisUrl: REDIS_URL, queuePrefix: redis.prefix, secretKey: '', logLevel: 'silent' } as never;
    await runtime.ctx.planQueue.add('plan', { runId: 'run-x', linkId: 'link-x' }, { jobId: 'plan.run-x', delay: 60_000 });
    const ops = await startOpsEndpoints(runtime, env, { port: 0, host: '127.0.0.1', queues: [PLAN_QUEUE] });
    try {
      const base = `http://127.0.0.1:${ops.port}`;
      expect((await fetch(`${base}/healthz`)).status).toBe(200);
      const ready = await fetch(`${base}/readyz`);
      expect(ready.status).toBe(200);
      expect(((await ready.json()) as { checks: { name: string; ok: boolean }[] }).checks.map((c) => [c.name, c.ok])).toEqual([['redis', true], ['store', true]]);
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/ejsync_queue_jobs\{queue="plan",state="delayed"\} 1/);
      expect(metrics).toContain('ejsync_process_nodejs_eventloop_lag_max_seconds');
    } finally {
      await ops.close();
    }
    const closedPort = { ...(env as object), redisUrl: 'redis://127.0.0.1:1' } as never;
    const down = await startOpsEndpoints(await openPipelineRuntimeSibling(), closedPort, { port: 0, host: '127.0.0.1', queues: [PLAN_QUEUE] });
    try {
      const r = await fetch(`http://127.0.0.1:${down.port}/readyz`);
      expect(r.status).toBe(503);
      const body = (await r.json()) as { status: string; checks: { name: string; ok: boolean }[] };
      expect(body.checks.map((c) => [c.name, c.ok])).toEqual([['redis', false], ['store', true]]);
    } finally {
      await down.close();
    }
  });

  /** The same store and queues, but a fresh metrics registry (default metrics register once per registry). */
  async function openPipelineRuntimeSibling(): Promise<PipelineRuntime> {
    const sibling = { ...runtime, metrics: { ...runtime.metrics, registry: new (await import('prom-client')).Registry() } } as PipelineRuntime;
    return sibling;
  }
});
