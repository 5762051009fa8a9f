import { randomUUID } from 'node:crypto';
import { Redis } from 'ioredis';
import { deleteKeysUnder } from '../../src/queue/redis-connection';

export const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/**
 * A unique BullMQ prefix for one test file, and a cleanup that deletes every key under it.
 * Connecting fails the test when Redis is down (tests never skip).
 */
export async function redisTestContext(): Promise<{ prefix: string; redis: Redis; cleanup(): Promise<void> }> {
  const prefix = `ejtest-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1, connectTimeout: 3000, lazyConnect: true });
  await redis.connect();
  await redis.ping();
  return {
    prefix,
    redis,
    async cleanup() {
      await deleteKeysUnder(redis, prefix);
      redis.disconnect();
    },
  };
}
