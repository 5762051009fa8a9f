import { isEjsyncError, makeFinding, type Finding } from '../../model';
import { decodeText, readCsvRows, type BundleEntry, type FileBundle } from '../file-bundle';
import { checkCell } from './cell-values';
import type { OneRosterColumn, OneRosterFileSpec } from './file-specs';
import type { RawFile, RawRecord } from './raw-package';

const STATUSES = ['active', 'tobedeleted'];

/** Reads a small CSV (the manifest) whole; decoding problems become findings. */
export async function readPlainCsv(bundle: FileBundle, entry: BundleEntry, findings: Finding[]): Promise<{ header: string[]; rows: { row: number; values: Record<string, string> }[] }> {
  const rows: { row: number; values: Record<string, string> }[] = [];
  let header: string[] = [];
  try {
    const text = decodeText(await bundle.open(entry), entry.name);
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

function readFailure(error: unknown, file: string): Finding {
  if (isEjsyncError(error)) return makeFinding(error.code, { file, detail: error.message });
  return makeFinding('oneroster.malformed_row', { file, detail: (error as Error).message });
}

/** Maps header names to spec columns, case-insensitively and through 1.1 aliases. */
function resolveHeader(spec: OneRosterFileSpec, header: string[]): { present: Map<OneRosterColumn, string>; unknown: string[] } {
  const byLower = new Map(header.filter(Boolean).map((h) => [h.toLowerCase(), h]));
  const present = new Map<OneRosterColumn, string>();
  const claimed = new Set<string>();
  for (const column of spec.columns) {
    for (const name of [column.name, ...(column.aliases ?? [])]) {
      const actual = byLower.get(name.toLowerCase());
      if (actual !== undefined) {
        present.set(column, actual);
        claimed.add(actual);
        break;
      }
    }
  }
  const unknown = header.filter((h) => h && !claimed.has(h) && !h.toLowerCase().startsWith('metadata.'));
  return { present, unknown };
}

/**
 * Streams one data file and checks it row by row against its spec: required columns and values,
 * value formats, bulk/delta status rules, unique sourcedIds. Rows with an error stay in the result
 * flagged `rejected` (so references to them can say why they are missing) unless their sourcedId
 * itself is unusable.
 */
export async function readOneRosterFile(bundle: FileBundle, entry: BundleEntry, spec: OneRosterFileSpec, mode: 'bulk' | 'delta', findings: Finding[]): Promise<RawFile> {
  const result: RawFile = { spec, mode, records: [], byId: new Map() };
  const file = spec.file;
  let present = new Map<OneRosterColumn, string>();
  let usable = true;
  let statusInBulk = { count: 0, first: 0 };
  const lostFilled = new Map<string, number>();
  try {
    const text = decodeText(await bundle.open(entry), entry.name);
    const rows = readCsvRows(text, {
      onHeader: (header) => {
        const resolved = resolveHeader(spec, header);
        present = resolved.present;
        for (const column of spec.columns) {
          if (column.required && !present.has(column)) {
            const names = [column.name, ...(column.aliases ?? [])].join(' или ');
            findings.push(makeFinding('oneroster.missing_column', { file, field: column.name, detail: names }));
            usable = false;
          }
        }
        for (const name of resolved.unknown) {
          findings.push(makeFinding('oneroster.not_expressible', { file, field: name, detail: `столбец «${name}» не входит в OneRoster 1.2 и не переносится` }));
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
    const bad = checkCell({ name: 'dateLastModified', type: 'dateTime', required: true, use: 'ignore' }, modified);
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
        findings.push(makeFinding('oneroster.missing_value', { file, row, field: column.name, sourceId }));
        record.rejected = true;
      }
      continue;
    }
    // Columns ejsync does not carry are not held to their format: a bad value there loses nothing.
    if (column.use === 'lost') lostFilled.set(column.name, (lostFilled.get(column.name) ?? 0) + 1);
    if (column.use !== 'read') continue;
    const bad = checkCell(column, v);
    if (bad) {
      findings.push(makeFinding('oneroster.invalid_value', { file, row, field: column.name, sourceId, detail: bad }));
      record.rejected = true;
    }
  }
  return record;
}
