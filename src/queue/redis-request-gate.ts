import type { RedisClient } from './redis-connection';
import { DEFAULT_RETRY_POLICY } from '../config/retry-policy';
import type { RequestGate } from '../connectors/dnevnik';

/**
 * Reserves the next free slot of an evenly spaced schedule kept in Redis, on Redis's own clock
 * (one clock for every process): slots are `interval` ms apart, none inside a pause. Answers how
 * many ms to wait for the reserved slot (0: go now). KEYS: next slot, pause. ARGV: interval ms.
 */
const RESERVE = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local slot = tonumber(redis.call('GET', KEYS[1]) or '0')
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 and slot < now + paused then slot = now + paused end
if slot < now then slot = now end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[1], string.format('%.3f', slot + interval), 'PX', math.ceil(slot - now + interval) + 1000)
return string.format('%.3f', slot - now)
`;

/**
 * Records a request as sent now, unless `max` requests were sent in the last `window` ms (by the
 * record, not by the schedule) or a pause runs: then answers how many ms to wait. The schedule above
 * spaces requests evenly; this catches the one that woke late (a loaded host delays timers by tens
 * of ms) so that it and the on-time ones after it never make `max + 1` in a window.
 * KEYS: sent log (newest first), pause. ARGV: max, window ms.
 */
const COMMIT = `
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local paused = redis.call('PTTL', KEYS[2])
if paused > 0 then return string.format('-%d', paused) end
local max = tonumber(ARGV[1])
local window = tonumber(ARGV[2])
if redis.call('LLEN', KEYS[1]) >= max then
  local oldest = tonumber(redis.call('LINDEX', KEYS[1], max - 1))
  if oldest + window > now then return string.format('%.3f', oldest + window - now) end
end
redis.call('LPUSH', KEYS[1], string.format('%.3f', now))
redis.call('LTRIM', KEYS[1], 0, max - 1)
redis.call('PEXPIRE', KEYS[1], math.ceil(window) + 1000)
return '0'
`;

/**
 * While a pause runs: the ms a delivery should step aside — to its turn on a return schedule kept
 * in Redis (the next free return time, one interval apart, never before the pause's end), so that
 * those stepping aside come back one by one at the token's pace rather than all at once. The
 * schedule holds the returns still ahead and nothing else: once they have passed, the next pause
 * starts it afresh at its own end (a storm's step-asides do not pile up). A wait longer than the
 * ceiling is answered with the ceiling and takes no turn (the delivery comes back, finds the pause
 * still on, and steps aside again). 0 when not paused. KEYS: pause, next return time.
 * ARGV: interval ms, ceiling ms.
 */
const STEP_ASIDE = `
local paused = redis.call('PTTL', KEYS[1])
if paused <= 0 then return '0' end
local t = redis.call('TIME')
local now = tonumber(t[1]) * 1000 + tonumber(t[2]) / 1000
local back = tonumber(redis.call('GET', KEYS[2]) or '0')
if back < now + paused then back = now + paused end
local wait = back - now
local ceiling = tonumber(ARGV[2])
if wait > ceiling then return string.format('%.3f', ceiling) end
local interval = tonumber(ARGV[1])
redis.call('SET', KEYS[2], string.format('%.3f', back + interval), 'PX', math.ceil(wait + interval) + 1000)
return string.format('%.3f', wait)
`;

/** Sets the pause unless a longer one is set already. */
const PAUSE = `
if redis.call('PTTL', KEYS[1]) < tonumber(ARGV[1]) then redis.call('SET', KEYS[1], '1', 'PX', ARGV[1]) end
return 0
`;

export interface RedisRequestGateOptions {
  /** Requests per `durationMs` across every process. */
  max: number;
  durationMs: number;
  /**
   * Added to the window: the platform counts requests when they arrive, and the way from the
   * gate's record to the platform (the reply from Redis, the HTTP client, the network) takes a few
   * ms that vary. The gate records actual sends, so a timer that fires late on a loaded host needs
   * no margin of its own, and a record whose answer came back late (a busy process) is redone, so
   * the margin covers the rest of the way only. @defaultValue 3 % of `durationMs`
   */
  marginMs?: number;
  /**
   * The longest a delivery is told to step aside ({@link RedisRequestGate.stepAsideMs}), ms: the
   * retry policy's `stepAsideCeilingMs`. @defaultValue 30000
   */
  stepAsideCeilingMs?: number;
}

/**
 * A recorded request must go at once: when Redis's answer took longer than this (the process was
 * busy — a plan computing, a GC pause), the request would reach the platform later than counted,
 * so it is counted as sent (a slot lost, never one too many) and recorded again. A third of the
 * margin (at least 5 ms).
 */
const staleAfterMs = (marginMs: number) => marginMs / 3;

/**
 * The platform's request limit for every process that uses one token, kept in Redis on Redis's
 * clock: requests take evenly spaced slots (`(durationMs + margin) / max` apart), and each one is
 * recorded as it goes — none goes while `max` were recorded in the last `durationMs + margin` ms.
 * Even spacing means no bursts (unlike a fixed-window job limiter, whose bursts at the end of one
 * window and the start of the next meet); the record means a late request cannot push a window
 * over. A 429 with a named wait moves the whole schedule past it; deliveries that meet the wait
 * step aside to a bounded return schedule of their own ({@link RedisRequestGate.stepAsideMs}).
 */
export class RedisRequestGate implements RequestGate {
  private readonly intervalMs: number;
  private readonly windowMs: number;
  private readonly staleMs: number;
  private readonly ceilingMs: number;

  constructor(
    private readonly redis: RedisClient,
    /**
     * `<prefix>:request-gate:<lane>:<token name>`. Every key of the gate is this key plus a suffix, so
     * with a hash-tag prefix (`{ejsync}`, required on Redis Cluster) a script's keys share one slot.
     */
    private readonly key: string,
    private readonly options: RedisRequestGateOptions,
  ) {
    const margin = options.marginMs ?? options.durationMs * 0.03;
    this.windowMs = options.durationMs + margin;
    this.intervalMs = this.windowMs / options.max;
    this.staleMs = Math.max(5, staleAfterMs(margin));
    this.ceilingMs = options.stepAsideCeilingMs ?? DEFAULT_RETRY_POLICY.stepAsideCeilingMs;
  }

  async acquire(): Promise<void> {
    for (;;) {
      const wait = await this.reserve();
      if (wait >= 1) await sleep(wait);
      for (;;) {
        const asked = performance.now();
        const answer = await this.record();
        if (answer === 0 && performance.now() - asked <= this.staleMs) return;
        // Recorded, but the answer came late: counted, not sent — record again.
        if (answer === 0) continue;
        // A 429 paused everyone while this request waited: take a new slot after the pause.
        if (answer < 0) break;
        await sleep(Math.max(1, answer));
      }
    }
  }

  /** Step 1 of {@link acquire}: takes the next slot of the schedule; answers the ms until it comes (0: now). */
  async reserve(): Promise<number> {
    return Number(await this.redis.eval(RESERVE, 2, `${this.key}:next`, `${this.key}:pause`, this.intervalMs.toFixed(3)));
  }

  /**
   * Step 2 of {@link acquire}, when the slot has come: records the request as sent (answers 0), or
   * answers the ms to wait first — negative while a 429's pause runs (then reserve again).
   */
  async record(): Promise<number> {
    return Number(await this.redis.eval(COMMIT, 2, `${this.key}:sent`, `${this.key}:pause`, this.options.max, this.windowMs.toFixed(3)));
  }

  /**
   * 0 when the token may send; while a 429's pause runs, how long a delivery should step aside:
   * to its turn after the pause (one interval after the previous one still ahead), at most the
   * ceiling. Bounded, and back to the pause alone once the returns ahead have passed.
   */
  async stepAsideMs(): Promise<number> {
    return Number(await this.redis.eval(STEP_ASIDE, 2, `${this.key}:pause`, `${this.key}:back`, this.intervalMs.toFixed(3), this.ceilingMs));
  }

  pauseFor(ms: number): void {
    this.redis.eval(PAUSE, 1, `${this.key}:pause`, Math.ceil(ms)).catch(() => undefined);
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
