import { randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { EjsyncError } from '../../model';
import type { ExchangeTransport, ExportQuery } from './exchange-transport';

/** Options of {@link DirectoryTransport}. */
export interface DirectoryTransportOptions {
  /** The exchange folder (`outbox/` and `inbox/` inside). */
  dir: string;
  /** How often `inbox/` is looked at, ms. @defaultValue 200 */
  pollIntervalMs?: number;
  /** How long an export is waited for, ms. @defaultValue 60000 */
  exportTimeoutMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const safe = (id: string) => id.replace(/[^A-Za-z0-9_.-]/g, '_');

/**
 * Packages written into `outbox/<id>.xml` atomically (a hidden temporary file renamed into place,
 * so the platform never picks up half a file); receipts awaited as `inbox/<id>.receipt.xml`;
 * exports asked for with `outbox/<request>.export-request.xml` and read from
 * `inbox/<request>.export.xml`.
 */
export class DirectoryTransport implements ExchangeTransport {
  readonly label = 'каталог обмена outbox/';

  constructor(private readonly options: DirectoryTransportOptions) {}

  private where(...parts: string[]): string {
    return path.join(this.options.dir, ...parts);
  }

  private async writeAtomically(folder: string, name: string, bytes: Buffer): Promise<void> {
    try {
      await mkdir(this.where(folder), { recursive: true });
      const tmp = this.where(folder, `.${name}.${randomUUID()}.tmp`);
      await writeFile(tmp, bytes);
      await rename(tmp, this.where(folder, name));
    } catch (cause) {
      throw new EjsyncError('sedizh.exchange_dir_unavailable', { cause, detail: `${this.where(folder)}: ${(cause as NodeJS.ErrnoException).code ?? String(cause)}` });
    }
  }

  private async poll(file: string, timeoutMs: number): Promise<Buffer | null> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      try {
        return await readFile(file);
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new EjsyncError('sedizh.exchange_dir_unavailable', { cause: error, detail: `${file}: ${(error as NodeJS.ErrnoException).code}` });
      }
      if (Date.now() >= deadline) return null;
      await sleep(Math.min(this.options.pollIntervalMs ?? 200, Math.max(1, deadline - Date.now())));
    }
  }

  submit(packageId: string, bytes: Buffer): Promise<void> {
    return this.writeAtomically('outbox', `${safe(packageId)}.xml`, bytes);
  }

  awaitReceipt(packageId: string, timeoutMs: number): Promise<Buffer | null> {
    return this.poll(this.where('inbox', `${safe(packageId)}.receipt.xml`), timeoutMs);
  }

  async exportPackage(query: ExportQuery): Promise<Buffer> {
    const request = `export-${randomUUID()}`;
    const attrs = Object.entries(query)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => ` ${k === 'schoolId' ? 'school' : k}="${String(v).replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;')}"`)
      .join('');
    await this.writeAtomically('outbox', `${request}.export-request.xml`, Buffer.from(`<?xml version="1.0" encoding="UTF-8"?>\n<ExportRequest${attrs}/>\n`, 'utf8'));
    const file = this.where('inbox', `${request}.export.xml`);
    const bytes = await this.poll(file, this.options.exportTimeoutMs ?? 60_000);
    if (bytes === null) throw new EjsyncError('sedizh.unreachable', { detail: `выгрузка не появилась в ${this.where('inbox')}` });
    await rm(file, { force: true });
    return bytes;
  }
}
