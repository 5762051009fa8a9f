import { createHash } from 'node:crypto';
import path from 'node:path';
import { Queue } from 'bullmq';
import { deliveryQueueName, PLAN_QUEUE } from '../queue/queue-names';
import { createRedis, deleteKeysUnder } from '../queue/redis-connection';
import type { Environment } from '../config/environment';

/** PostgreSQL schema of the demo when `DATABASE_URL` is set: the installation's own schema is never touched. */
export const DEMO_DATABASE_SCHEMA = 'ejsync_demo';

/**
 * Where `ejsync demo` keeps its runs, apart from the installation's: PGlite under
 * `$EJSYNC_HOME/demo` (or, with `DATABASE_URL`, the schema `ejsync_demo`), so a real `sync` in the
 * same home never meets the demo's links, id maps or secrets (sealed with the demo's own key).
 */
export function demoStoreEnvironment(env: Environment): Environment {
  return env.databaseUrl ? { ...env, databaseSchema: DEMO_DATABASE_SCHEMA } : { ...env, home: path.join(env.home, 'demo') };
}

/** How to look at the demo's runs afterwards (`ejsync run show …` with the demo's store). */
export function demoStoreHint(env: Environment): string {
  return env.databaseUrl ? `EJSYNC_DATABASE_SCHEMA=${DEMO_DATABASE_SCHEMA}` : `EJSYNC_HOME=${path.join(env.home, 'demo')}`;
}

/**
 * The demo link's id: one per target, seed, size and weeks, so a second demo with other options
 * starts with its own id map instead of the previous school's (`demo-dnevnik-3f2a9c1b`).
 */
export function demoLinkId(target: 'dnevnik' | 'sedizh' | 'oneroster', options: { seed: string; pupils: number; weeks: number }): string {
  const digest = createHash('sha256').update(JSON.stringify([options.seed, options.pupils, options.weeks])).digest('hex').slice(0, 8);
  return `demo-${target}-${digest}`;
}

/** The demo's BullMQ prefix: under `EJSYNC_QUEUE_PREFIX` (its hash tag kept), one per process; the demo removes its keys at the end. */
export function demoQueuePrefix(env: Pick<Environment, 'queuePrefix'>): string {
  return `${env.queuePrefix}-demo-${process.pid}`;
}

/**
 * Ends the demo's queues and leaves no key behind: obliterates each queue, then deletes whatever
 * else the run left under the demo's prefix (rate-limiter and request-gate keys), then closes.
 */
export async function removeDemoQueues(queues: Queue[], prefix: string, redisUrl: string): Promise<void> {
  for (const q of queues) await q.obliterate({ force: true }).catch(() => undefined);
  for (const q of queues) await q.close();
  const redis = createRedis(redisUrl, 'worker');
  try {
    await deleteKeysUnder(redis, prefix);
  } finally {
    redis.disconnect();
  }
}

/** The demo's queues under its own prefix, made on first use, and their removal (no key left behind). */
export interface DemoQueues {
  prefix: string;
  connection: { url: string; maxRetriesPerRequest: null };
  planQueue: Queue;
  deliveryQueue(lane: string): Queue;
  remove(): Promise<void>;
}

export function openDemoQueues(env: Pick<Environment, 'queuePrefix' | 'redisUrl'>): DemoQueues {
  const prefix = demoQueuePrefix(env);
  const connection = { url: env.redisUrl, maxRetriesPerRequest: null };
  const queues = new Map<string, Queue>();
  const queue = (name: string) => {
    if (!queues.has(name)) queues.set(name, new Queue(name, { connection, prefix }));
    return queues.get(name)!;
  };
  return {
    prefix,
    connection,
    planQueue: queue(PLAN_QUEUE),
    deliveryQueue: (lane) => queue(deliveryQueueName(lane)),
    remove: () => removeDemoQueues([...queues.values()], prefix, env.redisUrl),
  };
}
