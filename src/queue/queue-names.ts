/**
 * Queue naming. Everything of one installation lives under one BullMQ key prefix, so tests can
 * use a unique prefix each and clean up with one pattern.
 */
export interface QueueNaming {
  /** BullMQ key prefix. @defaultValue `ejsync` */
  prefix: string;
}

export const DEFAULT_QUEUE_NAMING: QueueNaming = { prefix: 'ejsync' };

/** Reads school and platform state, plans, guards and stages a run. */
export const PLAN_QUEUE = 'plan';
/** Alert deliveries (webhooks, e-mail) with their own retries. */
export const ALERT_QUEUE = 'alerts';

/** One delivery queue per platform: its rate limit holds across every worker of that queue. */
export function deliveryQueueName(platform: string): string {
  if (!/^[a-z][a-z0-9-]*$/.test(platform)) throw new RangeError(`bad platform name: ${platform}`);
  return `deliver-${platform}`;
}
