import { createReadStream } from 'node:fs';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { FastifyReply } from 'fastify';
import { writeTableFile, type TableColumn, type TableFormat } from '../../export';

const TYPES: Record<TableFormat, string> = {
  csv: 'text/csv; charset=utf-8',
  xlsx: 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet',
};

/** `?format=xlsx` → xlsx; anything else → csv. */
export function formatOf(value: unknown): TableFormat {
  return value === 'xlsx' ? 'xlsx' : 'csv';
}

/** `attachment` with an ASCII fallback and the Russian name (RFC 6266 / 5987). */
export function contentDisposition(asciiName: string, russianName: string): string {
  return `attachment; filename="${asciiName.replace(/[^A-Za-z0-9._-]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(russianName)}`;
}

/**
 * Sends a report table as a download: the shared writer (CSV UTF-8 with BOM and `;`, or XLSX)
 * writes a temporary file that is streamed and removed.
 */
export async function sendTable<T>(reply: FastifyReply, o: { format: TableFormat; asciiName: string; russianName: string; sheet: string; columns: readonly TableColumn<T>[]; rows: Iterable<T> }): Promise<FastifyReply> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-export-'));
  const file = path.join(dir, `table.${o.format}`);
  try {
    await writeTableFile(file, o.sheet, o.columns, o.rows);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  const size = (await stat(file)).size;
  const stream = createReadStream(file);
  stream.on('close', () => void rm(dir, { recursive: true, force: true }));
  return reply
    .header('content-type', TYPES[o.format])
    .header('content-length', size)
    .header('content-disposition', contentDisposition(`${o.asciiName}.${o.format}`, `${o.russianName}.${o.format}`))
    .header('cache-control', 'no-store')
    .send(stream);
}
