import type { Logger } from 'pino';
import { Cluster } from 'ioredis';
import type { RedisClient } from './redis-connection';

/** What the start-up look at Redis's eviction policy found. */
export type EvictionPolicyCheck =
  | { state: 'ok' }
  /** Some node evicts keys under memory pressure: BullMQ may lose jobs and locks. */
  | { state: 'evicting'; policies: string[] }
  /** The server refused `CONFIG GET` (managed Redis often does): nothing known. */
  | { state: 'unknown'; reason: string };

/**
 * Reads `maxmemory-policy` from the server (every master of a cluster). BullMQ needs `noeviction`:
 * any other policy lets Redis drop queue keys when memory runs out.
 */
export async function checkEvictionPolicy(redis: RedisClient): Promise<EvictionPolicyCheck> {
  // A cluster client knows its masters once it has read the slot map.
  if (redis instanceof Cluster && redis.status !== 'ready') await new Promise((resolve) => redis.once('ready', resolve));
  const nodes = redis instanceof Cluster ? redis.nodes('master') : [redis];
  if (!nodes.length) return { state: 'unknown', reason: 'нет узлов кластера' };
  const policies = new Set<string>();
  try {
    for (const node of nodes) {
      const reply = (await node.config('GET', 'maxmemory-policy')) as string[];
      if (reply.length < 2) return { state: 'unknown', reason: 'сервер не сообщил maxmemory-policy' };
      policies.add(reply[1]);
    }
  } catch (error) {
    return { state: 'unknown', reason: (error as Error).message };
  }
  const other = [...policies].filter((p) => p !== 'noeviction');
  return other.length ? { state: 'evicting', policies: other } : { state: 'ok' };
}

/**
 * The check as a worker tells it at start-up: a pino warning, and a Russian line for the operator
 * (null when all is well). Never fails the start: a refused `CONFIG GET` is only said.
 */
export async function warnAboutEvictionPolicy(redis: RedisClient, logger?: Logger): Promise<string | null> {
  const check = await checkEvictionPolicy(redis);
  if (check.state === 'ok') return null;
  if (check.state === 'evicting') {
    logger?.warn({ maxmemoryPolicy: check.policies }, 'redis maxmemory-policy is not noeviction: queue keys may be evicted');
    return `Внимание: в Redis maxmemory-policy = ${check.policies.join(', ')}, а очередям нужна noeviction — при нехватке памяти Redis удалит задания и блокировки. Задайте «maxmemory-policy noeviction» (в redis.conf или в настройках управляемого Redis).`;
  }
  logger?.warn({ cause: check.reason }, 'redis maxmemory-policy unknown: CONFIG GET refused');
  return `Не удалось проверить maxmemory-policy Redis (${check.reason}) — у управляемого Redis команда CONFIG часто запрещена. Убедитесь в настройках сервиса, что политика вытеснения — noeviction.`;
}
