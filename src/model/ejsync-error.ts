import { catalogueEntry, type ErrorCode } from './catalogue';

/** How long a platform's "too many requests" holds when the platform names no wait (no `Retry-After`). */
export const DEFAULT_THROTTLE_WAIT_MS = 5_000;

export interface EjsyncErrorOptions {
  cause?: unknown;
  /** Specific Russian detail appended to the catalogue message. */
  detail?: string;
  /** Overrides the catalogue's retryable flag (e.g. a 5xx the platform says to retry later). */
  retryable?: boolean;
  /** How long the platform asked us to wait before trying again. */
  waitMs?: number;
  /** HTTP status or other numeric status, when there was one. */
  status?: number;
}

/** The one error class of ejsync: a stable code from the catalogue, a Russian message, a cause. */
export class EjsyncError extends Error {
  readonly code: ErrorCode;
  readonly hint: string;
  /** The specific detail given (the message is the catalogue message, then this). */
  readonly detail?: string;
  readonly retryable: boolean;
  readonly waitMs?: number;
  readonly status?: number;

  constructor(code: ErrorCode, options: EjsyncErrorOptions = {}) {
    const entry = catalogueEntry(code);
    super(options.detail ? `${entry.message}: ${options.detail}` : entry.message, { cause: options.cause });
    this.name = 'EjsyncError';
    this.code = code;
    this.hint = entry.hint;
    if (options.detail !== undefined) this.detail = options.detail;
    this.retryable = options.retryable ?? entry.retryable ?? false;
    if (options.waitMs !== undefined) this.waitMs = options.waitMs;
    if (options.status !== undefined) this.status = options.status;
  }
}

export function isEjsyncError(value: unknown): value is EjsyncError {
  return value instanceof EjsyncError;
}
