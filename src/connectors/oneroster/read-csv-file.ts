import type { Readable } from 'node:stream';
import { isEjsyncError, makeFinding, type Finding } from '../../model';
import { decodeText, readCsvRows, type BundleEntry, type FileBundle } from '../file-bundle';
import { checkCell } from './cell-values';
import { columnsFor, type OneRosterColumn, type OneRosterFileSpec, type OneRosterVersion } from './file-specs';
import { closest } from './closest-name';
import type { RawFile, RawRecord } from './raw-package';

const STATUSES = ['active', 'tobedeleted'];
const DATE_LAST_MODIFIED: OneRosterColumn = { name: 'dateLastModified', type: 'dateTime', required: true, use: 'ignore' };

/** Reads a small CSV (the manifest) whole; decoding problems become findings. */
export async function readPlainCsv(bundle: FileBundle, entry: BundleEntry, findings: Finding[]): Promise<{ header: string[]; rows: { row: number; values: Record<string, string> }[] }> {
  const rows: { row: number; values: Record<string, string> }[] = [];
  let header: string[] = [];
  try {
    const text = decodeText(await bundle.open(entry));
    for await (const r of readCsvRows(text, {
      onHeader: (h) => (header = h),
      onMalformed: (row, reason) => findings.push(makeFinding('oneroster.malformed_row', { file: entry.name, row, detail: reason })),
    })) {
      rows.push(r);
    }
  } catch (error) {
    findings.push(readFailure(error, entry.name));
  }
  return { header, rows };
}

/** The header of a CSV file (empty when it cannot be read): the stream is closed after it. */
export async function readCsvHeader(bundle: FileBundle, entry: BundleEntry): Promise<string[]> {
  let header: string[] = [];
  let raw: Readable | undefined;
  let text: Readable | undefined;
  try {
    raw = await bundle.open(entry);
    text = decodeText(raw);
    for await (const _ of readCsvRows(text, { onHeader: (h) => (header = h) })) break;
  } catch {
    // An unreadable file is reported when it is read for its rows.
  } finally {
    text?.destroy();
    raw?.destroy();
  }
  return header;
}

function readFailure(error: unknown, file: string): Finding {
  if (isEjsyncError(error)) return makeFinding(error.code, { file, detail: error.detail });
  return makeFinding('oneroster.malformed_row', { file, detail: (error as Error).message });
}

/**
 * Maps header names to the version's columns, case-insensitively. Any other name is unknown,
 * except `metadata.*` extension columns, which the binding allows.
 */
function resolveHeader(spec: OneRosterFileSpec, version: OneRosterVersion, header: string[]): { present: Map<OneRosterColumn, string>; unknown: string[]; names: string[] } {
  const byLower = new Map(header.filter(Boolean).map((h) => [h.toLowerCase(), h]));
  const present = new Map<OneRosterColumn, string>();
  const claimed = new Set<string>();
  const columns = columnsFor(spec, version);
  for (const { column, header: name } of columns) {
    const actual = byLower.get(name.toLowerCase());
    if (actual !== undefined) {
      present.set(column, actual);
      claimed.add(actual);
    }
  }
  const unknown = header.filter((h) => h && !claimed.has(h) && !h.toLowerCase().startsWith('metadata.'));
  return { present, unknown, names: columns.map((c) => c.header) };
}

/**
 * Streams one data file and checks it row by row against its spec in the package's version:
 * required and unknown columns, required values, value formats (a date column is checked even
 * where ejsync does not use it), bulk/delta status rules, unique sourcedIds. Rows with an error in
 * a column ejsync reads stay in the result flagged `rejected` (so references to them can say why
 * they are missing) unless their sourcedId itself is unusable.
 */
export async function readOneRosterFile(bundle: FileBundle, entry: BundleEntry, spec: OneRosterFileSpec, mode: 'bulk' | 'delta', version: OneRosterVersion, findings: Finding[]): Promise<RawFile> {
  const result: RawFile = { spec, mode, records: [], byId: new Map() };
  const file = spec.file;
  let present = new Map<OneRosterColumn, string>();
  let usable = true;
  let statusInBulk = { count: 0, first: 0 };
  const lostFilled = new Map<string, number>();
  try {
    const text = decodeText(await bundle.open(entry));
    const rows = readCsvRows(text, {
      onHeader: (header) => {
        const resolved = resolveHeader(spec, version, header);
        present = resolved.present;
        for (const { column, header: name } of columnsFor(spec, version)) {
          if (column.required && !present.has(column)) {
            findings.push(makeFinding('oneroster.missing_column', { file, field: name, detail: `${name} (OneRoster ${version})` }));
            usable = false;
          }
        }
        for (const name of resolved.unknown) {
          findings.push(makeFinding('oneroster.unknown_column', { file, field: name, detail: `«${name}» нет в ${file} OneRoster ${version}${closest(name, resolved.names)}` }));
        }
      },
      onMalformed: (row, reason) => findings.push(makeFinding('oneroster.malformed_row', { file, row, detail: reason })),
    });
    for await (const { row, values: cells } of rows) {
      if (!usable) continue;
      const values: Record<string, string> = {};
      for (const [column, actual] of present) {
        const v = (cells[actual] ?? '').trim();
        if (v !== '') values[column.name] = v;
      }
      const record = checkRow(file, row, values, present, mode, findings, statusInBulk, lostFilled);
      if (!record) continue;
      if (result.byId.has(record.sourcedId)) {
        findings.push(makeFinding('oneroster.duplicate_sourced_id', { file, row, field: 'sourcedId', sourceId: record.sourcedId, detail: `${record.sourcedId} уже встречался в строке ${result.byId.get(record.sourcedId)!.row}` }));
        continue;
      }
      result.byId.set(record.sourcedId, record);
      result.records.push(record);
    }
  } catch (error) {
    findings.push(readFailure(error, file));
  }
  if (statusInBulk.count > 0) {
    findings.push(makeFinding('oneroster.status_in_bulk', { file, row: statusInBulk.first, field: 'status', detail: `строк с заполненными status/dateLastModified: ${statusInBulk.count}` }));
  }
  for (const [column, count] of lostFilled) {
    findings.push(makeFinding('oneroster.not_expressible', { file, field: column, detail: `поле «${column}» заполнено в строках: ${count}; в модели школы для него нет места` }));
  }
  return result;
}

/** Date columns are held to their form wherever they are: a wrong date is wrong even if unused. */
const DATE_TYPES: ReadonlySet<OneRosterColumn['type']> = new Set(['date', 'dateTime', 'dateOrDateTime']);

function checkRow(
  file: OneRosterFileSpec['file'],
  row: number,
  values: Record<string, string>,
  present: Map<OneRosterColumn, string>,
  mode: 'bulk' | 'delta',
  findings: Finding[],
  statusInBulk: { count: number; first: number },
  lostFilled: Map<string, number>,
): RawRecord | null {
  const sourcedId = values.sourcedId;
  const sourceId = sourcedId;
  if (!sourcedId) {
    findings.push(makeFinding('oneroster.missing_value', { file, row, field: 'sourcedId' }));
    return null;
  }
  const record: RawRecord = { file, row, sourcedId, values, deleted: false, rejected: false };
  const status = values.status;
  const modified = values.dateLastModified;
  if (mode === 'bulk') {
    if (status !== undefined || modified !== undefined) {
      if (statusInBulk.count === 0) statusInBulk.first = row;
      statusInBulk.count++;
    }
    const bad = modified !== undefined ? checkCell(DATE_LAST_MODIFIED, modified) : null;
    if (bad) findings.push(makeFinding('oneroster.invalid_value', { file, row, field: 'dateLastModified', sourceId, detail: bad }));
  } else {
    if (status === undefined || modified === undefined) {
      findings.push(makeFinding('oneroster.delta_missing_status', { file, row, field: status === undefined ? 'status' : 'dateLastModified', sourceId }));
      record.rejected = true;
      return record;
    }
    if (!STATUSES.includes(status)) {
      findings.push(makeFinding('oneroster.invalid_value', { file, row, field: 'status', sourceId, detail: `допустимо active или tobedeleted; получено «${status}»` }));
      record.rejected = true;
      return record;
    }
    const bad = checkCell(DATE_LAST_MODIFIED, modified);
    if (bad) {
      findings.push(makeFinding('oneroster.invalid_value', { file, row, field: 'dateLastModified', sourceId, detail: bad }));
      record.rejected = true;
      return record;
    }
    // A deleted record needs nothing but its id.
    if (status === 'tobedeleted') {
      record.deleted = true;
      return record;
    }
  }
  for (const [column] of present) {
    if (column.name === 'status' || column.name === 'dateLastModified') continue;
    const v = values[column.name];
    if (v === undefined) {
      if (column.required) {
        findings.push(makeFinding('oneroster.missing_value', { file, row, field: present.get(column) ?? column.name, sourceId }));
        record.rejected = true;
      }
      continue;
    }
    if (column.use === 'lost') lostFilled.set(column.name, (lostFilled.get(column.name) ?? 0) + 1);
    if (column.use !== 'read') {
      // Other columns ejsync does not carry are not held to their form: a bad value there loses
      // nothing. A date is, as the binding requires; the row is kept (the value is not used).
      const bad = DATE_TYPES.has(column.type) ? checkCell(column, v) : null;
      if (bad) findings.push(makeFinding('oneroster.invalid_value', { file, row, field: present.get(column) ?? column.name, sourceId, detail: bad }));
      continue;
    }
    const bad = checkCell(column, v);
    if (bad) {
      findings.push(makeFinding('oneroster.invalid_value', { file, row, field: present.get(column) ?? column.name, sourceId, detail: bad }));
      record.rejected = true;
    }
  }
  return record;
}
