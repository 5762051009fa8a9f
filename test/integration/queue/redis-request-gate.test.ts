import { Redis } from 'ioredis';
import { RedisRequestGate } from '../../../src/queue/redis-request-gate';
import { maxInSlidingWindow } from '../../helpers/cli-stand';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

/** The request gate shared by processes through Redis (two gates on one key stand for two processes). */
describe('RedisRequestGate (real Redis)', () => {
  let ctx: Awaited<ReturnType<typeof redisTestContext>>;
  const clients: Redis[] = [];
  beforeEach(async () => {
    ctx = await redisTestContext();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await ctx.cleanup();
  });
  const gate = (options: { max: number; durationMs: number; marginMs?: number }) => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    clients.push(redis);
    return new RedisRequestGate(redis, `${ctx.prefix}:request-gate:dnevnik-emulator:t`, options);
  };

  it('two processes together get evenly spaced grants: never more than max in any window', async () => {
    const limit = { max: 20, durationMs: 1000 };
    const [a, b] = [gate(limit), gate(limit)];
    const granted: number[] = [];
    const started = performance.now();
    await Promise.all(Array.from({ length: 50 }, (_, i) => (i % 2 ? a : b).acquire().then(() => granted.push(performance.now()))));
    const seconds = (performance.now() - started) / 1000;
    expect(maxInSlidingWindow(granted, limit.durationMs).max).toBeLessThanOrEqual(limit.max);
    // 49 intervals of 55 ms (the default 10 % margin): the budget was used, not wasted.
    expect(seconds).toBeGreaterThan(49 * 0.055 - 0.05);
    expect(seconds).toBeLessThan(49 * 0.055 + 0.5);
  });

  it('a 429 in one process pauses the other for the named wait', async () => {
    const limit = { max: 100, durationMs: 1000 };
    const [a, b] = [gate(limit), gate(limit)];
    await a.acquire();
    a.pauseFor(400);
    await new Promise((r) => setTimeout(r, 20));
    const t0 = performance.now();
    await b.acquire();
    expect(performance.now() - t0).toBeGreaterThan(330);
    // A shorter pause does not cut a longer one short.
    b.pauseFor(600);
    a.pauseFor(100);
    await new Promise((r) => setTimeout(r, 20));
    const t1 = performance.now();
    await a.acquire();
    expect(performance.now() - t1).toBeGreaterThan(500);
  });
});
