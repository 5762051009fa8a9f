import { EjsyncError } from '../../model';
import type { ExchangeTransport, ExportQuery } from './exchange-transport';

/** Options of {@link HttpTransport}. */
export interface HttpTransportOptions {
  /** Base address: `POST {baseUrl}/packages`, `GET {baseUrl}/packages/{id}/receipt`, `GET {baseUrl}/export`. */
  baseUrl: string;
  /** Bearer token of the exchange account. @defaultValue none */
  token?: string;
  /** One request's time limit, ms. @defaultValue 30000 */
  timeoutMs?: number;
  /** How often a receipt is asked for, ms. @defaultValue 200 */
  pollIntervalMs?: number;
  /** @defaultValue the global `fetch` */
  fetch?: typeof fetch;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/**
 * Packages uploaded over HTTP as `multipart/form-data` (field `package`, file `<id>.xml`); the
 * import result polled at the receipt address (202 while the platform works on it); the state
 * exported as a package. Transport failures are classified into the catalogue.
 */
export class HttpTransport implements ExchangeTransport {
  readonly label = 'POST /packages';
  private readonly base: string;
  private readonly fetch: typeof fetch;

  constructor(private readonly options: HttpTransportOptions) {
    this.base = options.baseUrl.replace(/\/+$/, '');
    this.fetch = options.fetch ?? fetch;
  }

  private async request(method: string, path: string, body?: FormData): Promise<Response> {
    const headers: Record<string, string> = { accept: 'application/xml' };
    if (this.options.token) headers.authorization = `Bearer ${this.options.token}`;
    try {
      return await this.fetch(`${this.base}${path}`, { method, body, headers, signal: AbortSignal.timeout(this.options.timeoutMs ?? 30_000) });
    } catch (cause) {
      throw new EjsyncError('sedizh.unreachable', { cause, detail: `${method} ${path.split('?')[0]}: ${cause instanceof Error ? cause.message : String(cause)}` });
    }
  }

  private fail(method: string, path: string, res: Response): never {
    const where = `${method} ${path.split('?')[0]} → ${res.status}`;
    if (res.status >= 500 || res.status === 429) throw new EjsyncError('sedizh.server_error', { status: res.status, detail: where });
    throw new EjsyncError('sedizh.http_error', { status: res.status, detail: where });
  }

  async submit(packageId: string, bytes: Buffer): Promise<void> {
    const form = new FormData();
    form.append('package', new Blob([new Uint8Array(bytes)], { type: 'application/xml' }), `${packageId}.xml`);
    const res = await this.request('POST', '/packages', form);
    await res.arrayBuffer().catch(() => undefined);
    // 409: the platform has this package already (the one re-send): its receipt stands.
    if (!res.ok && res.status !== 409) this.fail('POST', '/packages', res);
  }

  async awaitReceipt(packageId: string, timeoutMs: number): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    const path = `/packages/${encodeURIComponent(packageId)}/receipt`;
    for (;;) {
      let res: Response | null = null;
      try {
        res = await this.request('GET', path);
      } catch {
        res = null; // a failed poll is not a lost package: ask again until the deadline
      }
      if (res?.status === 200) return Buffer.from(await res.arrayBuffer());
      await res?.arrayBuffer().catch(() => undefined);
      if (res && res.status >= 400 && res.status < 500 && res.status !== 404 && res.status !== 429) this.fail('GET', path, res);
      if (Date.now() >= deadline) return null;
      await sleep(Math.min(this.options.pollIntervalMs ?? 200, Math.max(1, deadline - Date.now())));
    }
  }

  async exportPackage(query: ExportQuery): Promise<Buffer> {
    const params = new URLSearchParams();
    for (const [k, v] of Object.entries(query)) if (v !== undefined) params.set(k === 'schoolId' ? 'school' : k, v);
    const path = `/export?${params}`;
    const res = await this.request('GET', path);
    if (!res.ok) {
      await res.arrayBuffer().catch(() => undefined);
      this.fail('GET', path, res);
    }
    return Buffer.from(await res.arrayBuffer());
  }
}
