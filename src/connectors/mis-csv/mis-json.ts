import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFinding, SnapshotCollector, type SnapshotSink, type SourceReadResult } from '../../model';
import { formatCell } from './format-cell';
import type { ColumnType } from './column-types';
import { MIS_FILES, type FileSpec } from './file-specs';
import { MisRecordCollector } from './record-collector';

/** `format` marker of the МИС JSON document. */
export const MIS_JSON_FORMAT = 'ejsync-mis';
/** Larger documents should use the CSV form, which streams. */
const MAX_JSON_BYTES = 512 * 1024 * 1024;

/** The JSON key of a МИС file: `guardian-links.csv` → `guardian_links`. */
export function jsonKeyOf(spec: FileSpec): string {
  return spec.file.replace(/\.csv$/, '').replace(/-/g, '_');
}

function cellText(value: unknown): string {
  if (value === null || value === undefined) return '';
  if (Array.isArray(value)) return value.join(',');
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (typeof value === 'object') return JSON.stringify(value);
  return String(value);
}

/**
 * Why a JSON value cannot stand for a cell of this column type (a boolean for a name, an object
 * for a mark), or undefined when it can: strings, numbers for scalar columns, booleans for flags,
 * lists of numbers for grades, null for an empty cell.
 */
function wrongJsonType(type: ColumnType, value: unknown): string | undefined {
  if (value === null || typeof value === 'string') return undefined;
  if (typeof value === 'number') return type === 'bool' ? 'ожидается «да» или «нет», получено число' : undefined;
  if (typeof value === 'boolean') return type === 'bool' ? undefined : `ожидается ${type === 'int' || type === 'number' ? 'число' : 'строка'}, получено логическое значение`;
  if (Array.isArray(value) && type === 'grades' && value.every((x) => typeof x === 'number')) return undefined;
  return `ожидается значение, получен ${Array.isArray(value) ? 'массив' : 'объект'} JSON`;
}

/**
 * Reads the МИС export as one JSON document: `{"format": "ejsync-mis", "version": 1, "school": {…},
 * "pupils": [{…}], …}` with the same column names and rules as the CSV files. `maxBytes` (default
 * 512 MB) guards memory: the document is parsed whole.
 */
export async function readMisJson(file: string, options: { maxBytes?: number } = {}): Promise<SourceReadResult> {
  const name = path.basename(file);
  const fail = (code: 'input.invalid_json' | 'input.too_large' | 'input.empty', detail: string): SourceReadResult => ({ format: 'mis-json', snapshot: null, findings: [makeFinding(code, { file: name, detail })], counts: {} });
  const size = (await stat(file)).size;
  if (size === 0) return fail('input.empty', name);
  if (size > (options.maxBytes ?? MAX_JSON_BYTES)) return fail('input.too_large', `${Math.round(size / 1048576)} МБ; для больших школ используйте CSV-выгрузку`);
  let doc: unknown;
  try {
    doc = JSON.parse((await readFile(file, 'utf8')).replace(/^\uFEFF/, ''));
  } catch (error) {
    return fail('input.invalid_json', (error as Error).message);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return fail('input.invalid_json', 'ожидается объект JSON с ключами school, pupils, classes, …');
  const root = doc as Record<string, unknown>;
  const collector = new MisRecordCollector();
  const known = new Set(['format', 'version', ...MIS_FILES.map(jsonKeyOf)]);
  for (const key of Object.keys(root)) if (!known.has(key)) collector.findings.push(makeFinding('mis.unknown_file', { file: name, field: key }));
  for (const spec of MIS_FILES) {
    const key = jsonKeyOf(spec);
    const value = root[key];
    const where = `${name} → ${key}`;
    if (value === undefined) {
      if (spec.required) collector.findings.push(makeFinding(spec.collection === 'school' ? 'mis.school_missing' : 'mis.missing_file', { file: where }));
      continue;
    }
    const list = spec.collection === 'school' && !Array.isArray(value) ? [value] : value;
    if (!Array.isArray(list)) {
      collector.findings.push(makeFinding('mis.invalid_value', { file: where, detail: 'ожидается массив записей' }));
      continue;
    }
    const seenColumns = new Set<string>();
    list.forEach((item, i) => {
      if (!item || typeof item !== 'object' || Array.isArray(item)) {
        collector.findings.push(makeFinding('mis.malformed_row', { file: where, row: i + 1, detail: 'запись должна быть объектом JSON' }));
        return;
      }
      const cells: Record<string, string> = {};
      const wrongTypes: Record<string, string> = {};
      for (const [k, v] of Object.entries(item)) {
        const type = spec.columns.find((c) => c.column === k)?.type;
        const wrong = type ? wrongJsonType(type, v) : undefined;
        if (wrong) wrongTypes[k] = wrong;
        else cells[k] = cellText(v);
        seenColumns.add(k);
      }
      collector.accept(spec, i + 1, cells, where, wrongTypes);
    });
    const known = new Set(spec.columns.map((c) => c.column));
    for (const col of seenColumns) if (!known.has(col)) collector.findings.push(makeFinding('mis.unknown_column', { file: where, field: col }));
  }
  const snapshot = collector.snapshot(root.school !== undefined);
  return { format: 'mis-json', snapshot, findings: collector.findings, counts: collector.counts, ...collector.gaps((spec) => `${name} → ${jsonKeyOf(spec)}`) };
}

/** Writes the МИС JSON document at close (kept in memory: for big schools use the CSV writer). */
export function createMisJsonWriter(file: string): SnapshotSink {
  const collector = new SnapshotCollector();
  const toRow = (spec: FileSpec, record: Record<string, unknown>) => {
    const row: Record<string, unknown> = {};
    for (const c of spec.columns) {
      const v = record[c.field];
      if (v === undefined) continue;
      row[c.column] = c.type === 'attendance' || c.type === 'bool' ? formatCell(c.type, v) : v;
    }
    return row;
  };
  return {
    school: (s) => collector.school(s),
    add: (collection, record) => collector.add(collection, record),
    async close() {
      const snapshot = collector.snapshot();
      const doc: Record<string, unknown> = { format: MIS_JSON_FORMAT, version: 1 };
      for (const spec of MIS_FILES) {
        const key = jsonKeyOf(spec);
        doc[key] = spec.collection === 'school' ? toRow(spec, snapshot.school) : (snapshot[spec.collection] as unknown as Record<string, unknown>[]).map((r) => toRow(spec, r));
      }
      await writeFile(file, JSON.stringify(doc, null, 1));
    },
  };
}
