import type { GostSigner } from './signer';

export interface RemoteSignerOptions {
  /** Signing service endpoint: POST raw bytes, answers the raw 64-byte signature (or base64 JSON). */
  url: string;
  /** Bearer token for the service, from the environment. */
  token?: string;
  /** @defaultValue 10000 */
  timeoutMs?: number;
  fetch?: typeof fetch;
}

/**
 * A signing service over HTTP (a CryptoPro host, a regional gateway): keys stay on the signing
 * host. Accepts `application/octet-stream` (raw signature) or JSON `{ "signature": base64 }`.
 */
export class RemoteSigner implements GostSigner {
  readonly kind = 'remote';
  constructor(private readonly options: RemoteSignerOptions) {}

  async sign(data: Buffer): Promise<Buffer> {
    const doFetch = this.options.fetch ?? fetch;
    const response = await doFetch(this.options.url, {
      method: 'POST',
      headers: {
        'content-type': 'application/octet-stream',
        ...(this.options.token ? { authorization: `Bearer ${this.options.token}` } : {}),
      },
      body: new Uint8Array(data),
      signal: AbortSignal.timeout(this.options.timeoutMs ?? 10_000),
    });
    if (!response.ok) throw new Error(`сервис подписи ответил ${response.status}`);
    const type = response.headers.get('content-type') ?? '';
    const signature = type.includes('json')
      ? Buffer.from(String(((await response.json()) as { signature?: string }).signature ?? ''), 'base64')
      : Buffer.from(await response.arrayBuffer());
    if (signature.length !== 64) throw new Error(`сервис подписи вернул ${signature.length} байт вместо 64`);
    return signature;
  }

  async check(): Promise<void> {
    try {
      await this.sign(Buffer.from('ejsync signer self-check'));
    } catch (cause) {
      throw new Error(`Сервис подписи ${new URL(this.options.url).origin} недоступен или отвечает неверно: ${(cause as Error).message}`);
    }
  }
}
