import { Gauge, type Registry } from 'prom-client';
import type { Queue } from 'bullmq';

/** Job states counted per queue on each scrape. */
export const COUNTED_STATES = ['waiting', 'delayed', 'active', 'failed'] as const;

export interface QueueDepthMetricsOptions {
  /** The queues to count, read at each scrape (delivery lanes come and go). */
  queues: () => Iterable<Queue>;
  /** How long one scrape may wait for Redis before it gives up and reports `ejsync_queue_scrape_ok 0`. @defaultValue 1000 */
  timeoutMs?: number;
  /** Clock for the age of the oldest waiting job. @defaultValue `Date.now` */
  now?: () => number;
}

interface Sample {
  counts: { queue: string; state: string; value: number }[];
  oldest: { queue: string; seconds: number }[];
}

async function sampleQueue(queue: Queue, now: number): Promise<Sample> {
  const counts = await queue.getJobCounts(...COUNTED_STATES);
  const [oldest] = await queue.getJobs(['waiting'], 0, 0, true);
  return {
    counts: COUNTED_STATES.map((state) => ({ queue: queue.name, state, value: counts[state] ?? 0 })),
    oldest: [{ queue: queue.name, seconds: oldest ? Math.max(0, (now - oldest.timestamp) / 1000) : 0 }],
  };
}

/**
 * Queue gauges computed when Prometheus scrapes (prom-client `collect`), never in the background:
 * `ejsync_queue_jobs{queue,state}`, `ejsync_queue_oldest_waiting_seconds{queue}` (for a delivery
 * queue this is its lane's delivery lag) and `ejsync_queue_scrape_ok`. One Redis read serves all
 * three per scrape; it is cut off after `timeoutMs`, so `/metrics` answers even when Redis is down
 * (the gauges are then empty and `ejsync_queue_scrape_ok` is 0).
 */
export function registerQueueDepthMetrics(registry: Registry, options: QueueDepthMetricsOptions): void {
  const timeoutMs = options.timeoutMs ?? 1000;
  const now = options.now ?? Date.now;
  let current: { at: number; sample: Promise<Sample | null> } | null = null;

  const sample = (): Promise<Sample | null> => {
    const at = now();
    if (current && at - current.at < 250) return current.sample;
    const read = Promise.all([...options.queues()].map((q) => sampleQueue(q, at))).then((parts) => ({
      counts: parts.flatMap((p) => p.counts),
      oldest: parts.flatMap((p) => p.oldest),
    }));
    read.catch(() => undefined);
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<null>((resolve) => (timer = setTimeout(() => resolve(null), timeoutMs)));
    const result = Promise.race([read.catch(() => null), timeout]).finally(() => clearTimeout(timer));
    current = { at, sample: result };
    return result;
  };

  new Gauge({
    name: 'ejsync_queue_jobs',
    help: 'Jobs per queue and state (waiting, delayed, active, failed), read at scrape time',
    labelNames: ['queue', 'state'],
    registers: [registry],
    async collect() {
      this.reset();
      const s = await sample();
      for (const c of s?.counts ?? []) this.set({ queue: c.queue, state: c.state }, c.value);
    },
  });
  new Gauge({
    name: 'ejsync_queue_oldest_waiting_seconds',
    help: 'Age of the oldest waiting job per queue (delivery lag for a delivery lane), 0 when none waits',
    labelNames: ['queue'],
    registers: [registry],
    async collect() {
      this.reset();
      const s = await sample();
      for (const o of s?.oldest ?? []) this.set({ queue: o.queue }, o.seconds);
    },
  });
  new Gauge({
    name: 'ejsync_queue_scrape_ok',
    help: '1 when the queue gauges of this scrape were read from Redis in time, 0 otherwise',
    registers: [registry],
    async collect() {
      this.set((await sample()) ? 1 : 0);
    },
  });
}
