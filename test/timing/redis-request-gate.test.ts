import { Redis } from 'ioredis';
import { RedisRequestGate } from '../../src/queue/redis-request-gate';
import { maxInSlidingWindow } from '../helpers/cli-stand';
import { REDIS_URL, redisTestContext } from '../helpers/redis';

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
    // 49 intervals of 51.5 ms (the default 3 % margin): the budget was used, not wasted.
    expect(seconds).toBeGreaterThan(49 * 0.0515 - 0.05);
    expect(seconds).toBeLessThan(49 * 0.0515 + 0.5);
  });

  it('a request that wakes late for its slot does not let the on-time ones after it overfill a window', async () => {
    // 5 per 500 ms, no margin: slots 100 ms apart.
    const limit = { max: 5, durationMs: 500, marginMs: 0 };
    const [a, b] = [gate(limit), gate(limit)];
    const sent: number[] = [];
    const t0 = performance.now();
    const at = async (g: RedisRequestGate) => {
      await g.acquire();
      sent.push(performance.now() - t0);
    };
    await at(a); // slot 0
    // The next request's timer fires 90 ms late (a loaded host): slot 100, sent at ~190.
    const late = (async () => {
      const wait = await b.reserve();
      expect(wait).toBeGreaterThan(80);
      await new Promise((r) => setTimeout(r, wait + 90));
      expect(await b.record()).toBe(0);
      sent.push(performance.now() - t0);
    })();
    await new Promise((r) => setTimeout(r, 5));
    // Five more on time (slots 200 … 600); the record holds the one at 600 until 190 + 500.
    await Promise.all([late, ...Array.from({ length: 5 }, (_, i) => at(i % 2 ? a : b))]);
    sent.sort((x, y) => x - y);
    expect(sent).toHaveLength(7);
    // The gate counts on Redis's clock; this test sees each grant a fraction of a ms after it (3 ms
    // allowed). Without the record, the one at 600 would make six in the window from 190.
    expect(maxInSlidingWindow(sent, limit.durationMs - 3).max).toBeLessThanOrEqual(limit.max);
    expect(sent[6] - sent[1]).toBeGreaterThanOrEqual(limit.durationMs - 3);
    // … and only that one waited: the last went at about 690, not a whole window later.
    expect(sent[6]).toBeLessThan(800);
  });

  it('a request waiting on the record does not go while a 429 pause runs', async () => {
    const limit = { max: 3, durationMs: 300, marginMs: 0 };
    const g = gate(limit);
    for (let i = 0; i < 3; i++) await g.acquire();
    g.pauseFor(500);
    await new Promise((r) => setTimeout(r, 20));
    expect(await g.record()).toBeLessThan(0);
    const t0 = performance.now();
    await g.acquire();
    expect(performance.now() - t0).toBeGreaterThan(420);
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

  it('a recorded request whose answer came late is counted but recorded again before it goes', async () => {
    const key = `${ctx.prefix}:request-gate:dnevnik-emulator:slow`;
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    clients.push(redis);
    /** The process is busy for 40 ms just as the first record's answer arrives. */
    class BusyOnceGate extends RedisRequestGate {
      busy = 1;
      override async record(): Promise<number> {
        const answer = await super.record();
        if (this.busy-- > 0) {
          const until = performance.now() + 40;
          while (performance.now() < until);
        }
        return answer;
      }
    }
    const g = new BusyOnceGate(redis, key, { max: 20, durationMs: 1000 });
    await g.acquire();
    // Two records for one request: the late one counts against the limit, the request went after the second.
    expect(await redis.llen(`${key}:sent`)).toBe(2);
    await g.acquire();
    expect(await redis.llen(`${key}:sent`)).toBe(3);
  });

  it('while a 429 pause runs, deliveries step aside to its end, one interval apart; then not at all', async () => {
    const g = gate({ max: 10, durationMs: 1000, marginMs: 0 });
    expect(await g.stepAsideMs()).toBe(0);
    g.pauseFor(600);
    await new Promise((r) => setTimeout(r, 20));
    const asides = [await g.stepAsideMs(), await g.stepAsideMs(), await g.stepAsideMs()];
    expect(asides[0]).toBeGreaterThan(500);
    expect(asides[0]).toBeLessThanOrEqual(600);
    expect(asides[1] - asides[0]).toBeGreaterThan(80);
    expect(asides[2] - asides[1]).toBeGreaterThan(80);
    await new Promise((r) => setTimeout(r, 650));
    expect(await g.stepAsideMs()).toBe(0);
  });
});
