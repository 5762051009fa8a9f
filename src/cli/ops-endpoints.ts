import { Queue } from 'bullmq';
import { collectDefaultMetrics } from 'prom-client';
import type { Environment } from '../config/environment';
import type { PipelineRuntime } from '../queue/pipeline-runtime';
import { registerQueueDepthMetrics } from '../queue/queue-depth-metrics';
import { createRedisClient, redisTargetOf } from '../queue/redis-connection';
import { buildOpsServer } from '../web/ops-server';

/**
 * A process's operator endpoints on their own port (worker and dashboard alike): `/healthz`,
 * `/readyz` (Redis and the store answer) and `/metrics` (its pipeline metrics, the depth of the
 * named queues read when scraped, process metrics).
 */
export async function startOpsEndpoints(runtime: PipelineRuntime, env: Environment, options: { port: number; host: string; queues: readonly string[] }): Promise<{ port: number; close(): Promise<void> }> {
  const redis = createRedisClient(redisTargetOf(env), 'worker', { lazyConnect: false, maxRetriesPerRequest: 1 });
  redis.on('error', () => undefined);
  const depthQueues = options.queues.map((name) => new Queue(name, { connection: redis, prefix: runtime.prefix }));
  for (const q of depthQueues) q.on('error', () => undefined);
  registerQueueDepthMetrics(runtime.metrics.registry, { queues: () => depthQueues });
  collectDefaultMetrics({ register: runtime.metrics.registry, prefix: 'ejsync_process_' });
  const server = buildOpsServer({
    registry: runtime.metrics.registry,
    checks: [
      { name: 'redis', check: () => redis.ping() },
      { name: 'store', check: () => runtime.ctx.store.links.list() },
    ],
  });
  await server.listen({ port: options.port, host: options.host });
  return {
    port: (server.server.address() as { port: number }).port,
    async close() {
      await server.close();
      for (const q of depthQueues) await q.close();
      redis.disconnect();
    },
  };
}
