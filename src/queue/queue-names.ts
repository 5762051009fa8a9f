// Everything of one installation lives under one BullMQ key prefix (`EJSYNC_QUEUE_PREFIX`), so
// installations and tests sharing a Redis keep apart and clean up with one pattern.

/** Reads school and platform state, plans, guards and stages a run. */
export const PLAN_QUEUE = 'plan';
/** Alert deliveries (webhooks, e-mail) with their own retries. */
export const ALERT_QUEUE = 'alerts';
/** The run watchdog's scheduled looks (its own queue: a long planning job never delays it). */
export const WATCHDOG_QUEUE = 'watchdog';
/** Scheduled upkeep of the installation: backups of the store and the retention purge (served where the backup media are mounted). */
export const MAINTENANCE_QUEUE = 'maintenance';

/** One delivery queue per platform: its rate limit holds across every worker of that queue. */
export function deliveryQueueName(platform: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(platform)) throw new RangeError(`bad platform name: ${platform}`);
  return `deliver-${platform}`;
}

/**
 * A delivery lane: the deliveries to one platform installation (one API host), with its own
 * queue and a rate limit that holds across every worker (`dnevnik-mosreg`).
 */
export interface DeliveryLane {
  name: string;
  /** Requests per `durationMs` to this installation, across all workers. */
  rateLimit: { max: number; durationMs: number };
}

/** The lane of a link's target: platform and installation (`dnevnik` + `mosreg` → `dnevnik-mosreg`). */
export function deliveryLaneOf(target: { platform: string; installation: string }): string {
  return `${target.platform}-${target.installation}`.toLowerCase().replace(/[^a-z0-9-]/g, '-');
}
