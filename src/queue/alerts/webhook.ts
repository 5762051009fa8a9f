import { createHmac, timingSafeEqual } from 'node:crypto';
import type { AlertMessage } from './alert-types';

export interface WebhookOptions {
  url: string;
  /** Shared secret for the HMAC-SHA256 signature (from the environment). */
  secret: string;
  /** @defaultValue 10000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
  now?: () => Date;
}

/**
 * The signature header: `t=<unix seconds>,v1=<hex HMAC-SHA256 of "<t>.<body>">`. The receiver
 * recomputes it and rejects old timestamps, so a captured request cannot be replayed later.
 */
export function signWebhook(body: string, secret: string, at: Date): string {
  const t = Math.floor(at.getTime() / 1000);
  const mac = createHmac('sha256', secret).update(`${t}.${body}`).digest('hex');
  return `t=${t},v1=${mac}`;
}

/** Verifies a signature header (for receivers and tests); `toleranceSeconds` bounds its age. */
export function verifyWebhook(body: string, header: string, secret: string, now: Date, toleranceSeconds = 300): boolean {
  const m = /^t=(\d+),v1=([0-9a-f]{64})$/.exec(header);
  if (!m) return false;
  if (Math.abs(now.getTime() / 1000 - Number(m[1])) > toleranceSeconds) return false;
  const expected = createHmac('sha256', secret).update(`${m[1]}.${body}`).digest();
  const given = Buffer.from(m[2], 'hex');
  return given.length === expected.length && timingSafeEqual(given, expected);
}

/** POSTs one alert as JSON with its signature; throws on a non-2xx answer (the queue retries). */
export async function sendWebhook(alert: AlertMessage, options: WebhookOptions): Promise<number> {
  const body = JSON.stringify(alert);
  const doFetch = options.fetch ?? fetch;
  const response = await doFetch(options.url, {
    method: 'POST',
    headers: {
      'content-type': 'application/json; charset=utf-8',
      'x-ejsync-signature': signWebhook(body, options.secret, (options.now ?? (() => new Date()))()),
      'x-ejsync-alert-id': alert.id,
    },
    body,
    signal: AbortSignal.timeout(options.timeoutMs ?? 10_000),
  });
  if (!response.ok) throw new Error(`webhook answered HTTP ${response.status}`);
  return response.status;
}
