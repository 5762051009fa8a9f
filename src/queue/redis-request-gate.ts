import type { Redis } from 'ioredis';
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
   * Added to the window: requests reach the platform with some ms of jitter (scheduling, network),
   * and the platform counts arrivals; a loaded host delays some requests by tens of ms, and the one
   * after arrives on time. @defaultValue 10 % of `durationMs`
   */
  marginMs?: number;
}

/**
 * The platform's request limit for every process that uses one token: requests go out evenly
 * spaced (`(durationMs + margin) / max` apart) on a schedule kept in Redis, and a 429 with a named
 * wait moves the whole schedule past it. Evenly spaced requests never exceed the limit in any
 * sliding window, and a late request shifts a window by one request, not by a burst — unlike a
 * fixed-window job limiter, whose bursts at the end of one window and the start of the next meet.
 */
export class RedisRequestGate implements RequestGate {
  private readonly intervalMs: number;

  constructor(
    private readonly redis: Redis,
    /** `<prefix>:request-gate:<lane>:<token name>` */
    private readonly key: string,
    options: RedisRequestGateOptions,
  ) {
    const margin = options.marginMs ?? options.durationMs * 0.1;
    this.intervalMs = (options.durationMs + margin) / options.max;
  }

  async acquire(): Promise<void> {
    for (;;) {
      const wait = Number(await this.redis.eval(RESERVE, 2, `${this.key}:next`, `${this.key}:pause`, this.intervalMs.toFixed(3)));
      if (wait < 1) return;
      await new Promise((r) => setTimeout(r, wait));
      // A 429 may have paused everyone while this request waited for its slot: take a new one after it.
      if ((await this.redis.pttl(`${this.key}:pause`)) <= 0) return;
    }
  }

  pauseFor(ms: number): void {
    this.redis.eval(PAUSE, 1, `${this.key}:pause`, Math.ceil(ms)).catch(() => undefined);
  }
}
