import { DEFAULT_THROTTLE_WAIT_MS, isEjsyncError } from '../../model';

export type DeliveryErrorClass =
  | { kind: 'rate_limited'; waitMs: number }
  | { kind: 'transient' }
  | { kind: 'permanent' };

/**
 * How the queue treats a delivery failure — the one place this is decided. Rate limits hold
 * the school's token for the wait the platform asked for without burning an attempt;
 * transient failures retry with backoff and jitter; permanent ones stop at once with their code.
 */
export function classifyDeliveryError(error: unknown): DeliveryErrorClass {
  if (!isEjsyncError(error)) return { kind: 'transient' };
  if (isRateLimitCode(error.code)) return { kind: 'rate_limited', waitMs: error.waitMs ?? DEFAULT_THROTTLE_WAIT_MS };
  if (error.retryable) return { kind: 'transient' };
  return { kind: 'permanent' };
}

/** A platform's "too many requests" codes (`dnevnik.rate_limited`, …). */
export const isRateLimitCode = (code: string | null | undefined): boolean => !!code && /rate_limited|request_limit/.test(code);

/** Where a delivery stands when it fails. */
export interface DeliveryRetryState {
  /** Attempts BullMQ counted before this one (rate limits do not count). */
  attemptsMade: number;
  /** Attempts allowed (the retry policy's `attempts`). */
  maxAttempts: number;
  /** Rate-limited attempts of this delivery before this one (from the delivery log). */
  rateLimitedBefore: number;
  /** Rate limits allowed (the retry policy's `rateLimitedAttempts`). */
  maxRateLimited: number;
  /** The longest a rate-limited delivery steps aside at a time (the retry policy's `stepAsideCeilingMs`). */
  stepAsideCeilingMs: number;
}

/**
 * How long a delivery steps aside for a held token: the wait asked for, at most the ceiling (it
 * comes back, and steps aside again if the token is still held — no request, no attempt).
 */
export const stepAsideDelayMs = (waitMs: number, ceilingMs: number): number => Math.max(0, Math.min(waitMs, ceilingMs));

/**
 * The retry decision for a failed delivery: its class, and whether this failure is final (the
 * change fails with the error's code). Pure; table-tested in test/unit/queue/delivery-retry.test.ts.
 */
export function decideDeliveryRetry(error: unknown, state: DeliveryRetryState): DeliveryErrorClass & { final: boolean } {
  const cls = classifyDeliveryError(error);
  switch (cls.kind) {
    case 'permanent':
      return { ...cls, final: true };
    case 'transient':
      return { ...cls, final: state.attemptsMade + 1 >= state.maxAttempts };
    case 'rate_limited':
      return { ...cls, waitMs: stepAsideDelayMs(cls.waitMs, state.stepAsideCeilingMs), final: state.rateLimitedBefore + 1 >= state.maxRateLimited };
  }
}
