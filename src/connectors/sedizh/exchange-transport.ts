/** What part of the platform's state an export carries. */
export interface ExportQuery {
  schoolId: string;
  /** Dated records in [from, to]. @defaultValue all */
  from?: string;
  to?: string;
  /** Only this entity collection. @defaultValue all */
  entity?: string;
  /** Only the record with this platform id. */
  id?: string;
  /** Only the record with this ejsync id. */
  extId?: string;
}

/**
 * How packages travel to the platform and receipts come back. Implementations throw `EjsyncError`
 * (`sedizh.unreachable`, `sedizh.server_error`, `sedizh.http_error`, `sedizh.exchange_dir_unavailable`).
 */
export interface ExchangeTransport {
  /** `POST /packages`, `каталог outbox` — for the delivery log (no personal data). */
  readonly label: string;
  /** Hands a package over (an identical second hand-over of the same id is the one re-send). */
  submit(packageId: string, bytes: Buffer): Promise<void>;
  /** The receipt's bytes once it comes, or null when none came within `timeoutMs`. */
  awaitReceipt(packageId: string, timeoutMs: number): Promise<Buffer | null>;
  /** The platform's state as an export package. */
  exportPackage(query: ExportQuery): Promise<Buffer>;
}
