import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';

export interface CsvRow {
  /** 1-based data row number (the header is row 0). */
  row: number;
  /** Cells keyed by the header's column names (trimmed). */
  values: Record<string, string>;
}

export interface CsvReadOptions {
  /** Column separator; detected from the header line when absent (`;` as Russian Excel writes, or `,`). */
  delimiter?: ';' | ',';
}

/** Picks `;` or `,` from the header line: whichever occurs more often outside quotes. */
export function detectDelimiter(headerLine: string): ';' | ',' {
  let semicolons = 0;
  let commas = 0;
  let quoted = false;
  for (const ch of headerLine) {
    if (ch === '"') quoted = !quoted;
    else if (!quoted && ch === ';') semicolons++;
    else if (!quoted && ch === ',') commas++;
  }
  return semicolons >= commas && semicolons > 0 ? ';' : ',';
}

/**
 * Streams a decoded CSV text into header + rows. Structural problems (unbalanced quotes, wrong
 * number of fields) are reported per row through `onMalformed` and the row is skipped, so one
 * bad line never loses the rest of the file.
 */
export async function* readCsvRows(
  text: Readable,
  options: CsvReadOptions & {
    onHeader?: (columns: string[]) => void;
    onMalformed?: (row: number, reason: string) => void;
  } = {},
): AsyncGenerator<CsvRow> {
  let header: string[] | null = null;
  let delimiter = options.delimiter;
  let buffered = '';
  const iterator = text[Symbol.asyncIterator]();
  // Peek at the first line to pick the delimiter.
  if (!delimiter) {
    while (!buffered.includes('\n')) {
      const next = await iterator.next();
      if (next.done) break;
      buffered += String(next.value);
    }
    delimiter = detectDelimiter(buffered.split(/\r?\n/, 1)[0] ?? '');
  }
  const parser = parse({
    delimiter,
    relax_column_count: true,
    skip_empty_lines: true,
    trim: false,
    bom: true,
    skip_records_with_error: true,
  });
  parser.on('skip', (err: Error & { lines?: number }) => options.onMalformed?.(err.lines ?? 0, err.message));
  const feed = (async () => {
    try {
      if (buffered) if (!parser.write(buffered)) await new Promise((r) => parser.once('drain', r));
      for (;;) {
        const next = await iterator.next();
        if (next.done) break;
        if (!parser.write(String(next.value))) await new Promise((r) => parser.once('drain', r));
      }
      parser.end();
    } catch (err) {
      parser.destroy(err as Error);
    }
  })();
  let row = 0;
  for await (const record of parser as AsyncIterable<string[]>) {
    if (!header) {
      header = record.map((c) => c.trim());
      options.onHeader?.(header);
      continue;
    }
    row++;
    if (record.length !== header.length) {
      if (record.length === 1 && record[0].trim() === '') continue;
      options.onMalformed?.(row, `ожидалось полей: ${header.length}, найдено: ${record.length}`);
      continue;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) values[header[i]] = record[i];
    yield { row, values };
  }
  await feed;
  if (!header) options.onHeader?.([]);
}
