import { z } from 'zod';

/**
 * How a platform's deliveries are retried (`retry` in the platform file). Transient failures
 * (timeouts, 5xx, lost answers) go back with exponential backoff and jitter; rate limits wait
 * the time the platform names (never longer than `stepAsideCeilingMs` at a time) and do not count
 * as attempts, up to `rateLimitedAttempts`.
 */
export const retryPolicySchema = z.object({
  /** Tries per delivery for transient failures, the first included. @defaultValue 6 */
  attempts: z.number().int().min(1).max(50).default(6),
  /** First backoff, ms; doubled on each retry. @defaultValue 1000 */
  backoffMs: z.number().int().min(10).max(3_600_000).default(1000),
  /** Share of each backoff drawn at random (0: none, 1: anywhere from 0 to the full backoff). @defaultValue 0.5 */
  jitter: z.number().min(0).max(1).default(0.5),
  /**
   * 429s one delivery may meet before it fails with `dnevnik.rate_limited` (the platform keeps
   * refusing the token: the run ends, the operator is alerted and retries later). @defaultValue 30
   */
  rateLimitedAttempts: z.number().int().min(1).max(10_000).default(30),
  /**
   * The longest a delivery steps aside for a held token (a 429's wait, or its turn after the
   * wait among the deliveries stepping aside), ms. A delivery that comes back while the wait
   * still runs steps aside again — no request is sent, no attempt burnt — so a long storm never
   * parks deliveries minutes away from a token that is free again. @defaultValue 30000
   */
  stepAsideCeilingMs: z.number().int().min(1000).max(3_600_000).default(30_000),
});
export type RetryPolicy = z.infer<typeof retryPolicySchema>;

export const DEFAULT_RETRY_POLICY: RetryPolicy = retryPolicySchema.parse({});
