import { Queue } from 'bullmq';
import { readEnvironment, storeOptionsOf, type Environment } from '../config/environment';
import { openStore, type Store } from '../store';
import { deliveryQueueName, PLAN_QUEUE } from './queue-names';
import { quietErrors } from './redis-watch';
import { bullConnection, releaseBullConnection, redisTargetOf } from './redis-connection';
import type { RunActionContext } from './run-pipeline/run-actions';

/**
 * The store and queues of this installation, from the environment (`DATABASE_URL` or PGlite
 * under `EJSYNC_HOME`, `REDIS_URL`), for commands that read or act on runs.
 */
export async function openRunActionContext(env: Environment = readEnvironment()): Promise<RunActionContext & { close(): Promise<void> }> {
  const store: Store = await openStore(storeOptionsOf(env));
  const connection = bullConnection(redisTargetOf(env), 'producer');
  // Redis down: commands fail with their own message, not the driver's stack on an unheard `error`.
  const planQueue = quietErrors(new Queue(PLAN_QUEUE, { connection, prefix: env.queuePrefix }), undefined, PLAN_QUEUE);
  const queues = new Map<string, Queue>();
  return {
    store,
    planQueue,
    deliveryQueue(platform) {
      if (!queues.has(platform)) queues.set(platform, quietErrors(new Queue(deliveryQueueName(platform), { connection, prefix: env.queuePrefix }), undefined, platform));
      return queues.get(platform)!;
    },
    async close() {
      await planQueue.close();
      for (const q of queues.values()) await q.close();
      releaseBullConnection(connection);
      await store.close();
    },
  };
}
