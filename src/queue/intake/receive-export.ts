import { readFile } from 'node:fs/promises';
import type { LinkConfig } from '../../config/link-config';
import { readSource } from '../../connectors/read-source';
import { EjsyncError } from '../../model';
import type { ExportRecord, Store } from '../../store';
import { exportFormatOf, hashFile } from './export-file';

export interface ReceiveExportOptions {
  /** Largest export accepted, in bytes. */
  maxBytes: number;
  /** The name it is kept under. @defaultValue the file's own name */
  fileName: string;
  /** @defaultValue now */
  receivedAt?: Date;
}

export interface ReceivedExport {
  record: ExportRecord;
  /** The same content was kept for the link already (now received again). */
  duplicate: boolean;
}

/**
 * Keeps a school's export (one file: ZIP or JSON; a folder is zipped first, see `exportFileOf`)
 * for its link, after checking it: no larger than `maxBytes` (`intake.too_large`) and readable
 * as an export of the link's school (`intake.unreadable`, naming the first problem). A refused
 * export keeps nothing. The next run of the link plans from it.
 */
export async function receiveExport(store: Store, link: LinkConfig, file: string, options: ReceiveExportOptions): Promise<ReceivedExport> {
  const { sha256, size } = await hashFile(file);
  if (size > options.maxBytes) throw new EjsyncError('intake.too_large', { detail: `${size} байт при пределе ${options.maxBytes}` });
  const read = await readSource(file, { school: link.school });
  if (!read.snapshot) {
    const first = read.findings.find((f) => f.severity === 'error') ?? read.findings[0];
    throw new EjsyncError('intake.unreadable', { detail: first ? `[${first.code}] ${first.message}` : undefined });
  }
  const content = await readFile(file);
  const { record, duplicate } = await store.exports.put({ linkId: link.id, sha256, fileName: options.fileName, format: await exportFormatOf(file), content, receivedAt: options.receivedAt });
  return { record, duplicate };
}
