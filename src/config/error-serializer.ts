/** One link of an error's `cause` chain as written to the log: codes and messages, no stack of data. */
export interface SerializedError {
  type: string;
  message: string;
  code?: string;
  status?: number;
  stack?: string;
  /** The next link (the error's `cause`), up to {@link MAX_CAUSE_DEPTH} links. */
  cause?: SerializedError;
}

/** How many `cause` links are followed; a longer (or circular) chain ends with the last one kept. */
export const MAX_CAUSE_DEPTH = 8;

function link(value: unknown, depth: number, seen: Set<unknown>): SerializedError {
  if (!(value instanceof Error)) return { type: typeof value, message: typeof value === 'string' ? value : String(value) };
  const out: SerializedError = { type: value.name || value.constructor.name, message: value.message };
  const code = (value as { code?: unknown }).code;
  if (typeof code === 'string' || typeof code === 'number') out.code = String(code);
  const status = (value as { status?: unknown }).status;
  if (typeof status === 'number') out.status = status;
  if (depth === 0 && value.stack) out.stack = value.stack;
  seen.add(value);
  const cause = value.cause;
  if (cause !== undefined && cause !== null && depth + 1 < MAX_CAUSE_DEPTH && !seen.has(cause)) out.cause = link(cause, depth + 1, seen);
  return out;
}

/**
 * pino serializer for `err`/`error`: type, code, HTTP status and message of the error and of every
 * error in its `cause` chain (an {@link EjsyncError}'s catalogue code, then the driver's error with
 * its own code, e.g. `ECONNREFUSED`). Only these fields are written — no request bodies, headers or
 * other properties an error may carry, so no personal data travels with it.
 */
export function serializeError(value: unknown): SerializedError | unknown {
  if (!(value instanceof Error)) return value;
  return link(value, 0, new Set());
}
