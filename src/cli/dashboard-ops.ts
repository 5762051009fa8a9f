import { Queue } from 'bullmq';
import { collectDefaultMetrics } from 'prom-client';
import type { Environment } from '../config/environment';
import type { PipelineRuntime } from '../queue/pipeline-runtime';
import { registerQueueDepthMetrics } from '../queue/queue-depth-metrics';
import { PLAN_QUEUE } from '../queue/queue-names';
import { createRedisClient, redisTargetOf } from '../queue/redis-connection';
import { buildOpsServer } from '../web/ops-server';

/**
 * The dashboard process's operator endpoints on their own port: `/healthz`, `/readyz` (Redis and
 * the store answer) and `/metrics` (its pipeline metrics, the plan queue's depth, process metrics).
 */
export async function startDashboardOps(runtime: PipelineRuntime, env: Environment, port: number, host: string): Promise<{ port: number; close(): Promise<void> }> {
  const redis = createRedisClient(redisTargetOf(env), 'worker', { lazyConnect: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const planQueue = new Queue(PLAN_QUEUE, { connection: redis, prefix: runtime.prefix });
  planQueue.on('error', () => undefined);
  registerQueueDepthMetrics(runtime.metrics.registry, { queues: () => [planQueue] });
  collectDefaultMetrics({ register: runtime.metrics.registry, prefix: 'ejsync_process_' });
  const server = buildOpsServer({
    registry: runtime.metrics.registry,
    checks: [
      { name: 'redis', check: () => redis.ping() },
      { name: 'store', check: () => runtime.ctx.store.links.list() },
    ],
  });
  await server.listen({ port, host });
  return {
    port: (server.server.address() as { port: number }).port,
    async close() {
      await server.close();
      await planQueue.close();
      redis.disconnect();
    },
  };
}
