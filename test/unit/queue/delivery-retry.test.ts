import { DEFAULT_THROTTLE_WAIT_MS, EjsyncError } from '../../../src/model';
import { decideDeliveryRetry, stepAsideDelayMs, type DeliveryRetryState } from '../../../src/queue/run-pipeline/delivery-error-class';

const state = (patch: Partial<DeliveryRetryState> = {}): DeliveryRetryState => ({ attemptsMade: 0, maxAttempts: 6, rateLimitedBefore: 0, maxRateLimited: 30, stepAsideCeilingMs: 30_000, ...patch });

/** The one retry decision for failed deliveries, case by case. */
describe('decideDeliveryRetry', () => {
  it.each([
    ['a rate limit with a named wait: wait it, not final', new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 2500 }), state(), { kind: 'rate_limited', waitMs: 2500, final: false }],
    ['a rate limit without a wait: the default wait', new EjsyncError('dnevnik.rate_limited', { retryable: true }), state(), { kind: 'rate_limited', waitMs: DEFAULT_THROTTLE_WAIT_MS, final: false }],
    ['a rate limit does not count attempts: not final on the last attempt', new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 1000 }), state({ attemptsMade: 5 }), { kind: 'rate_limited', final: false }],
    ['the 30th rate limit of one delivery is final', new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 1000 }), state({ rateLimitedBefore: 29 }), { kind: 'rate_limited', final: true }],
    ['the 29th is not', new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 1000 }), state({ rateLimitedBefore: 28 }), { kind: 'rate_limited', final: false }],
    ['a rate limit naming a wait beyond the ceiling: steps aside for the ceiling only', new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 3_600_000 }), state(), { kind: 'rate_limited', waitMs: 30_000, final: false }],
    ['… with a ceiling of its own', new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 2500 }), state({ stepAsideCeilingMs: 2000 }), { kind: 'rate_limited', waitMs: 2000, final: false }],
    ['a wait at the ceiling is kept as it is', new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: 30_000 }), state(), { kind: 'rate_limited', waitMs: 30_000, final: false }],
    ['a timeout on the first attempt: retry', new EjsyncError('dnevnik.timeout', { retryable: true }), state(), { kind: 'transient', final: false }],
    ['a 5xx on the fifth attempt of six: retry', new EjsyncError('dnevnik.server_error', { retryable: true }), state({ attemptsMade: 4 }), { kind: 'transient', final: false }],
    ['a 5xx on the last attempt: final', new EjsyncError('dnevnik.server_error', { retryable: true }), state({ attemptsMade: 5 }), { kind: 'transient', final: true }],
    ['one attempt allowed: the first transient failure is final', new EjsyncError('dnevnik.connection_failed', { retryable: true }), state({ maxAttempts: 1 }), { kind: 'transient', final: true }],
    ['a validation error: final at once', new EjsyncError('dnevnik.parameter_invalid'), state(), { kind: 'permanent', final: true }],
    ['a mapping error: final at once', new EjsyncError('reconcile.missing_dependency'), state(), { kind: 'permanent', final: true }],
    ['a 403: final at once', new EjsyncError('dnevnik.forbidden'), state(), { kind: 'permanent', final: true }],
    ['an unknown error (a bug, a dropped connection): transient', new Error('socket hang up'), state(), { kind: 'transient', final: false }],
    ['an unknown error on the last attempt: final', new TypeError('x is undefined'), state({ attemptsMade: 5 }), { kind: 'transient', final: true }],
  ] as const)('%s', (_name, error, s, expected) => {
    expect(decideDeliveryRetry(error, s)).toMatchObject(expected);
  });

  it.each([
    [2000, 30_000, 2000],
    [126_000, 30_000, 30_000],
    [-5, 30_000, 0],
  ])('a step-aside of %i ms with a ceiling of %i ms lasts %i ms', (wait, ceiling, expected) => {
    expect(stepAsideDelayMs(wait, ceiling)).toBe(expected);
  });
});
