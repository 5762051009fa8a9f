import { Redis } from 'ioredis';
import { RedisRequestGate } from '../../../src/queue/redis-request-gate';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * A 429 storm (issue 18 point 5): deliveries that meet a held token step aside to their turn after
 * the wait, but never longer than the ceiling, and the turns do not pile up from one 429 to the
 * next. The delays the gate computes (and the return time it stores) are asserted, not how long
 * anything took. Real Redis.
 */
describe('request gate: step-aside delays in a 429 storm', () => {
  let ctx: Awaited<ReturnType<typeof redisTestContext>>;
  const clients: Redis[] = [];
  beforeEach(async () => {
    ctx = await redisTestContext();
  });
  afterEach(async () => {
    for (const c of clients.splice(0)) c.disconnect();
    await ctx.cleanup();
  });
  // 10 requests/s, no margin: turns 100 ms apart. Ceiling 1 s.
  const INTERVAL = 100;
  const CEILING = 1000;
  const key = () => `${ctx.prefix}:request-gate:dnevnik-emulator:storm`;
  const gate = () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: null });
    clients.push(redis);
    return new RedisRequestGate(redis, key(), { max: 10, durationMs: 1000, marginMs: 0, stepAsideCeilingMs: CEILING });
  };
  /** `count` deliveries meeting the token held (one after another, as workers fetch them). */
  const stepAsides = async (g: RedisRequestGate, count: number) => {
    const out: number[] = [];
    for (let i = 0; i < count; i++) out.push(await g.stepAsideMs());
    return out;
  };
  /** The stored next return time, as ms from now on Redis's clock (0 when none is stored). */
  const storedTurnAheadMs = async () => {
    const [back, [s, us]] = await Promise.all([ctx.redis.get(`${key()}:back`), ctx.redis.time()]);
    return back === null ? 0 : Number(back) - (Number(s) * 1000 + Number(us) / 1000);
  };

  it('every step-aside of a storm (429 after 429) stays within the ceiling; the stored turns never run beyond it', async () => {
    const g = gate();
    const delays: number[] = [];
    // Five 429s in a row, each renewing the hold while deliveries keep stepping aside (40 per hold:
    // 40 turns of 100 ms would reach 4 s past the hold, and before, the count only grew: 200 turns).
    for (let storm = 0; storm < 5; storm++) {
      g.pauseFor(300);
      delays.push(...(await stepAsides(g, 40)));
      expect(await storedTurnAheadMs()).toBeLessThanOrEqual(CEILING + INTERVAL);
    }
    expect(delays.every((d) => d > 0 && d <= CEILING)).toBe(true);
    // The first waits to the hold's end; those after it take turns one interval behind it …
    expect(delays[0]).toBeLessThanOrEqual(300);
    expect(delays[1]).toBeLessThanOrEqual(300 + INTERVAL);
    expect(delays[2]).toBeLessThanOrEqual(300 + 2 * INTERVAL);
    // … until the turns reach the ceiling: the rest are told the ceiling (and come back to look again).
    expect(delays.filter((d) => d === CEILING).length).toBeGreaterThanOrEqual(40);
    expect(delays.at(-1)).toBe(CEILING);
  });

  it('once the hold and the turns ahead have passed: no step-aside, and the next 429 starts the turns afresh at its own end', async () => {
    const g = gate();
    g.pauseFor(200);
    const storm = await stepAsides(g, 30);
    expect(Math.max(...storm)).toBeLessThanOrEqual(CEILING);
    // Past the hold and past every turn given out (at most the ceiling away).
    await sleep(CEILING + INTERVAL + 100);
    expect(await g.stepAsideMs()).toBe(0);
    expect(await storedTurnAheadMs()).toBeLessThanOrEqual(0);
    // The next 429: the first delivery waits to this hold's end only (before: 30 turns behind the
    // last storm's), the next one at most one turn later.
    g.pauseFor(200);
    const [first, second] = await stepAsides(g, 2);
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(200);
    expect(second).toBeGreaterThan(0);
    expect(second).toBeLessThanOrEqual(200 + INTERVAL);
    expect(await storedTurnAheadMs()).toBeLessThanOrEqual(200 + 2 * INTERVAL);
  });
});
