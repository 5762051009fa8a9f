import { isEjsyncError } from '../../model';

export type DeliveryErrorClass =
  | { kind: 'rate_limited'; waitMs: number }
  | { kind: 'transient' }
  | { kind: 'permanent' };

/** Default wait when a platform throttles without saying for how long. @defaultValue 5000 ms */
export const DEFAULT_RATE_LIMIT_WAIT_MS = 5_000;

/**
 * How the queue treats a delivery failure — the one place this is decided. Rate limits hold
 * the school's token for the wait the platform asked for without burning an attempt;
 * transient failures retry with backoff and jitter; permanent ones stop at once with their code.
 */
export function classifyDeliveryError(error: unknown): DeliveryErrorClass {
  if (!isEjsyncError(error)) return { kind: 'transient' };
  if (/rate_limited|request_limit/.test(error.code)) return { kind: 'rate_limited', waitMs: error.waitMs ?? DEFAULT_RATE_LIMIT_WAIT_MS };
  if (error.retryable) return { kind: 'transient' };
  return { kind: 'permanent' };
}
