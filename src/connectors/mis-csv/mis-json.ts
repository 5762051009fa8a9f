import { readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { makeFinding, SnapshotCollector, type ErrorCode, type SnapshotSink, type SourceReadResult } from '../../model';
import { formatBytes, inputLimits, jsonNestingDepth, type InputLimits } from '../file-bundle';
import { formatCell } from './format-cell';
import type { ColumnType } from './column-types';
import { MIS_FILES, type FileSpec } from './file-specs';
import { MisRecordCollector } from './record-collector';

/** `format` marker of the МИС JSON document. */
export const MIS_JSON_FORMAT = 'ejsync-mis';
/** The `version` of the document this reader reads (and the writer writes). */
export const MIS_JSON_VERSION = 1;

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
  // `\u0000` is valid JSON but no text column (nor PostgreSQL) can hold it.
  if (typeof value === 'string') return value.includes('\u0000') ? 'значение содержит нулевой символ (NUL)' : undefined;
  if (value === null) return undefined;
  if (typeof value === 'number') return type === 'bool' ? 'ожидается «да» или «нет», получено число' : undefined;
  if (typeof value === 'boolean') return type === 'bool' ? undefined : `ожидается ${type === 'int' || type === 'number' ? 'число' : 'строка'}, получено логическое значение`;
  if (Array.isArray(value) && type === 'grades' && value.every((x) => typeof x === 'number')) return undefined;
  return `ожидается значение, получен ${Array.isArray(value) ? 'массив' : 'объект'} JSON`;
}

/** A JSON value as a short quote for a message. */
const quote = (value: unknown) => (typeof value === 'string' ? `«${value.slice(0, 40)}»` : (JSON.stringify(value) ?? String(value)).slice(0, 40));

export interface ReadMisJsonOptions {
  /**
   * Bytes the document may have: it is parsed whole, so this guards memory.
   * @defaultValue `limits.maxJsonBytes` (512 MiB)
   */
  maxBytes?: number;
  /**
   * Limits of the input (`maxJsonBytes`, `maxJsonDepth` are the document's).
   * @defaultValue `DEFAULT_INPUT_LIMITS`
   */
  limits?: Partial<InputLimits>;
}

/**
 * Reads the МИС export as one JSON document: `{"format": "ejsync-mis", "version": 1, "school": {…},
 * "pupils": [{…}], …}` with the same column names and rules as the CSV files. The document is
 * refused whole (no snapshot, one finding) when it is larger than `maxBytes`, nests deeper than
 * `maxJsonDepth` (checked before parsing), is not JSON, or declares another `format` or `version`.
 */
export async function readMisJson(file: string, options: ReadMisJsonOptions = {}): Promise<SourceReadResult> {
  const name = path.basename(file);
  const limits = inputLimits(options.limits);
  const maxBytes = options.maxBytes ?? limits.maxJsonBytes;
  const fail = (code: ErrorCode, detail: string): SourceReadResult => ({ format: 'mis-json', snapshot: null, findings: [makeFinding(code, { file: name, detail })], counts: {} });
  const size = (await stat(file)).size;
  if (size === 0) return fail('input.empty', name);
  if (size > maxBytes) return fail('input.too_large', `${formatBytes(size)}, допустимо не более ${formatBytes(maxBytes)}; для больших школ используйте CSV-выгрузку`);
  const text = (await readFile(file, 'utf8')).replace(/^\uFEFF/, '');
  if (jsonNestingDepth(text, limits.maxJsonDepth) > limits.maxJsonDepth) return fail('input.json_too_deep', `глубже ${limits.maxJsonDepth} уровней`);
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    return fail('input.invalid_json', (error as Error).message);
  }
  if (!doc || typeof doc !== 'object' || Array.isArray(doc)) return fail('input.invalid_json', 'ожидается объект JSON с ключами school, pupils, classes, …');
  const root = doc as Record<string, unknown>;
  if (root.format !== MIS_JSON_FORMAT) return fail('input.json_wrong_format', root.format === undefined ? 'нет поля format' : `format ${quote(root.format)}, ожидается «${MIS_JSON_FORMAT}»`);
  if (root.version !== MIS_JSON_VERSION) return fail('input.json_unsupported_version', root.version === undefined ? 'нет поля version' : `version ${quote(root.version)}, читается ${MIS_JSON_VERSION}`);
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
      const doc: Record<string, unknown> = { format: MIS_JSON_FORMAT, version: MIS_JSON_VERSION };
      for (const spec of MIS_FILES) {
        const key = jsonKeyOf(spec);
        doc[key] = spec.collection === 'school' ? toRow(spec, snapshot.school) : (snapshot[spec.collection] as unknown as Record<string, unknown>[]).map((r) => toRow(spec, r));
      }
      await writeFile(file, JSON.stringify(doc, null, 1));
    },
  };
}
