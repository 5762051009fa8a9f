import { Redis, type RedisOptions } from 'ioredis';
import { EjsyncError } from '../model';

export type RedisRole = 'worker' | 'producer';

/**
 * A Redis connection for BullMQ. Workers block on Redis and must never give up on a command
 * (`maxRetriesPerRequest: null`, a BullMQ requirement); producers — an HTTP handler adding a
 * job — fail fast instead of queueing commands while Redis is down.
 */
export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const options: RedisOptions =
    role === 'worker'
      ? { maxRetriesPerRequest: null, enableReadyCheck: true, ...extra }
      : { enableOfflineQueue: false, maxRetriesPerRequest: 2, connectTimeout: 5000, ...extra };
  return new Redis(url, options);
}

/** Waits until a connection is ready or fails with `queue.unavailable` naming the URL (no credentials). */
export async function ensureRedisReady(redis: Redis, url: string, timeoutMs = 5000): Promise<void> {
  if (redis.status === 'ready') return;
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      cleanup();
      reject(new EjsyncError('queue.unavailable', { detail: redactUrl(url) }));
    }, timeoutMs);
    const onReady = () => {
      cleanup();
      resolve();
    };
    const cleanup = () => {
      clearTimeout(timer);
      redis.off('ready', onReady);
    };
    redis.on('ready', onReady);
  });
}

/** `redis://user:secret@host:6379/0` → `redis://host:6379/0` (no credentials in messages). */
export function redactUrl(url: string): string {
  try {
    const u = new URL(url);
    u.username = '';
    u.password = '';
    return u.toString();
  } catch {
    return '(неверный адрес)';
  }
}

/** Deletes every key under `<prefix>:` (a test's or a bench's own queues and gates). Returns how many. */
export async function deleteKeysUnder(redis: Redis, prefix: string): Promise<number> {
  let deleted = 0;
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}
