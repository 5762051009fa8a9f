import { randomUUID } from 'node:crypto';
import { EjsyncError, type ErrorCode } from '../../model';
import { buildPackage, parseReceipt, type PackageMapping, type PackageRecord, type ReceiptRecord } from '../../mappers/sedizh';
import type { ExchangeTransport } from './exchange-transport';
import { decodeXml, encodeXml } from './package-encoding';

/** What one record's delivery learnt from the platform's receipt. */
export interface RecordAccepted {
  packageId: string;
  receipt: ReceiptRecord;
  /** The package went a second time (no receipt for the first hand-over). */
  resent: boolean;
}

/** Options of {@link PackageBatcher}. */
export interface PackageBatcherOptions {
  transport: ExchangeTransport;
  mapping: PackageMapping;
  schoolId: string;
  /** `ejsync 0.1.0`. */
  sender: string;
  /** The link's next package sequence number (kept by the caller, across processes). */
  nextSequence(): Promise<number>;
  /** Records per package at most. @defaultValue 200 */
  recordsPerPackage?: number;
  /** How long a package waits for more records, ms. @defaultValue 30 */
  lingerMs?: number;
  /** How long a receipt is waited for before the one re-send, ms. @defaultValue 60000 */
  receiptTimeoutMs?: number;
  /** Platform error code → catalogue code. @defaultValue none (`sedizh.record_rejected`) */
  receiptCodes?: Readonly<Record<string, string>>;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
}

interface Waiting {
  record: PackageRecord;
  resolve(value: RecordAccepted): void;
  reject(error: unknown): void;
}

const DATED = ['date', 'startDate'];

/**
 * Gathers the records of concurrent deliveries into delta packages (up to `recordsPerPackage`,
 * waiting `lingerMs` for more), hands each package over once, waits for its receipt, sends the
 * identical package (same id, same bytes) once more when no receipt came, and settles every
 * record's delivery from its line of the receipt. The platform never applies one package id twice,
 * so the re-send cannot apply anything twice.
 */
export class PackageBatcher {
  private queue: Waiting[] = [];
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly options: PackageBatcherOptions) {}

  /** Delivers one record; resolves with its receipt line or rejects with a catalogue error. */
  submit(record: PackageRecord): Promise<RecordAccepted> {
    return new Promise<RecordAccepted>((resolve, reject) => {
      this.queue.push({ record, resolve, reject });
      if (this.queue.length >= (this.options.recordsPerPackage ?? 200)) this.flushNow();
      else this.timer ??= setTimeout(() => this.flushNow(), this.options.lingerMs ?? 30);
    });
  }

  private flushNow(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    const limit = this.options.recordsPerPackage ?? 200;
    while (this.queue.length) {
      const batch = this.queue.splice(0, limit);
      void this.send(batch).catch((error) => {
        for (const w of batch) w.reject(error);
      });
    }
  }

  private codeOf(platformCode: string | undefined, fallback: ErrorCode): ErrorCode {
    const mapped = platformCode ? this.options.receiptCodes?.[platformCode] : undefined;
    return (mapped as ErrorCode | undefined) ?? fallback;
  }

  private async send(batch: Waiting[]): Promise<void> {
    const { mapping } = this.options;
    const now = (this.options.now ?? (() => new Date()))();
    const dates = batch.flatMap((w) => DATED.map((f) => w.record.fields[f]).filter((d): d is string => typeof d === 'string')).sort();
    const packageId = randomUUID();
    const built = buildPackage(
      {
        packageId,
        kind: 'delta',
        schoolId: this.options.schoolId,
        ...(dates.length ? { periodFrom: dates[0], periodTo: dates[dates.length - 1] } : {}),
        generatedAt: now.toISOString(),
        sender: this.options.sender,
        sequence: await this.options.nextSequence(),
        records: batch.map((w) => w.record),
      },
      mapping,
    );
    const left = new Set(built.rejected.map((r) => r.record));
    for (const w of batch) {
      const rejected = built.rejected.find((r) => r.record === w.record);
      if (rejected) w.reject(new EjsyncError(rejected.finding.code, { detail: rejected.finding.message }));
    }
    const sent = batch.filter((w) => !left.has(w.record));
    if (!sent.length) return;
    const bytes = encodeXml(built.xml, mapping.encoding);
    const timeout = this.options.receiptTimeoutMs ?? 60_000;
    await this.options.transport.submit(packageId, bytes);
    let receiptBytes = await this.options.transport.awaitReceipt(packageId, timeout);
    let resent = false;
    if (receiptBytes === null) {
      resent = true;
      await this.options.transport.submit(packageId, bytes);
      receiptBytes = await this.options.transport.awaitReceipt(packageId, timeout);
    }
    if (receiptBytes === null) throw new EjsyncError('sedizh.receipt_timeout', { detail: `пакет ${packageId}: нет квитанции после повторной отправки` });
    const parsed = parseReceipt(decodeXml(receiptBytes), packageId);
    if (!parsed.ok) throw new EjsyncError('sedizh.receipt_malformed', { detail: `пакет ${packageId}: ${parsed.detail}` });
    const receipt = parsed.receipt;
    if (receipt.status === 'rejected' && receipt.records.length === 0) {
      const first = receipt.errors[0];
      const code = this.codeOf(first?.code, 'sedizh.package_rejected');
      const detail = `пакет ${packageId}: ${receipt.errors.map((e) => `${e.code} ${e.message}`.trim()).join('; ') || 'без объяснения'}`;
      throw new EjsyncError(code === 'sedizh.package_corrupted' ? code : 'sedizh.package_rejected', { detail });
    }
    for (const w of sent) {
      const record = mapping.entities[w.record.entity]!.record;
      const line = receipt.records.find((r) => r.record === record && (w.record.extId ? r.extId === w.record.extId : r.id === w.record.id));
      if (!line) {
        w.reject(new EjsyncError('sedizh.receipt_malformed', { detail: `пакет ${packageId}: в квитанции нет записи ${record} ${w.record.extId ?? w.record.id}` }));
      } else if (line.status === 'rejected') {
        const code = this.codeOf(line.code, 'sedizh.record_rejected');
        w.reject(new EjsyncError(code, { detail: `${line.code ?? 'без кода'}${line.message ? `: ${line.message}` : ''} (пакет ${packageId})` }));
      } else if (w.record.action === 'create' && !line.id) {
        w.reject(new EjsyncError('sedizh.receipt_malformed', { detail: `пакет ${packageId}: принятая запись ${record} ${w.record.extId} без идентификатора платформы` }));
      } else {
        w.resolve({ packageId, receipt: line, resent });
      }
    }
  }
}
