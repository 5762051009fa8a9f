import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { EjsyncError } from '../../model';
import { DEFAULT_INPUT_LIMITS } from './input-limits';
import { QuoteFreeSplitter } from './quote-free-split';

export interface CsvRow {
  /** 1-based data row number (the header is row 0). */
  row: number;
  /** Cells keyed by the header's column names (trimmed). */
  values: Record<string, string>;
}

export interface CsvReadOptions {
  /** Column separator; detected from the header line when absent (`;` as Russian Excel writes, or `,`). */
  delimiter?: ';' | ',';
  /**
   * The caller has made sure the text holds no `"` (e.g. with `containsByte`): lines are then
   * split directly, with exactly the result of the general parser, several times faster. A quote
   * met anyway fails the read.
   */
  quoteFree?: boolean;
  /**
   * Columns the header may have: a wider header fails the read with `input.too_many_columns`
   * before any row is read.
   * @defaultValue `DEFAULT_INPUT_LIMITS.maxColumns` (200)
   */
  maxColumns?: number;
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
  let delimiter = options.delimiter;
  const maxColumns = options.maxColumns ?? DEFAULT_INPUT_LIMITS.maxColumns;
  let buffered = '';
  const iterator = text[Symbol.asyncIterator]();
  // Peek at the first line to pick the delimiter (each piece is looked at once).
  if (!delimiter) {
    const pieces: string[] = [];
    for (;;) {
      const next = await iterator.next();
      if (next.done) break;
      const piece = String(next.value);
      pieces.push(piece);
      if (piece.includes('\n')) break;
    }
    buffered = pieces.join('');
    delimiter = detectDelimiter(buffered.split(/\r?\n/, 1)[0] ?? '');
  }
  let header: string[] | null = null;
  let row = 0;
  /** Header first, then data rows with the header's number of fields; blank and malformed lines are skipped. */
  const take = (record: string[]): CsvRow | undefined => {
    if (!header) {
      if (record.length > maxColumns) throw new EjsyncError('input.too_many_columns', { detail: `${record.length}, допустимо не более ${maxColumns}` });
      header = record.map((c) => c.trim());
      options.onHeader?.(header);
      return undefined;
    }
    row++;
    if (record.length !== header.length) {
      if (record.length === 1 && record[0].trim() === '') return undefined;
      options.onMalformed?.(row, `ожидалось полей: ${header.length}, найдено: ${record.length}`);
      return undefined;
    }
    const values: Record<string, string> = {};
    for (let i = 0; i < header.length; i++) values[header[i]] = record[i];
    return { row, values };
  };

  if (options.quoteFree) {
    const splitter = new QuoteFreeSplitter(delimiter);
    let done = false;
    try {
      let records = splitter.push(buffered);
      for (;;) {
        for (const record of records) {
          const r = take(record);
          if (r) yield r;
        }
        const next = await iterator.next();
        if (next.done) break;
        records = splitter.push(String(next.value));
      }
      done = true;
    } finally {
      // A consumer that stops early (or a failure) releases the file.
      if (!done) await iterator.return?.();
    }
    for (const record of splitter.end()) {
      const r = take(record);
      if (r) yield r;
    }
    if (!header) options.onHeader?.([]);
    return;
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
  let finished = false;
  try {
    for await (const record of parser as AsyncIterable<string[]>) {
      const r = take(record);
      if (r) yield r;
    }
    finished = true;
  } finally {
    // A consumer that stops early (or a failure) releases the file; the feed then ends too.
    if (!finished) text.destroy();
  }
  await feed;
  if (!header) options.onHeader?.([]);
}
