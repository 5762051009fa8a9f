import { emptySnapshot, isEjsyncError, makeFinding, type EntityCollection, type ErrorCode, type Finding, type School, type Snapshot, type SourceReadResult } from '../../model';
import { decodeText, readCsvRows, type FileBundle } from '../file-bundle';
import { CellError, parseCell } from './column-types';
import { COLLECTION_SCHEMAS } from './collection-schemas';
import { MIS_FILES, type FileSpec } from './file-specs';

const KNOWN_FILES = new Set(MIS_FILES.map((f) => f.file));

/** True when the bundle looks like ejsync's МИС export (school.csv or pupils.csv at the top). */
export function looksLikeMisCsv(bundle: FileBundle): boolean {
  return !!(bundle.find('school.csv') || bundle.find('pupils.csv'));
}

function codeForIssue(path: string, type: string): ErrorCode {
  if (path === 'snils') return 'mis.invalid_snils';
  if (type === 'mark') return 'mis.unknown_mark_value';
  if (type === 'attendance') return 'mis.unknown_attendance_code';
  return 'mis.invalid_value';
}

/**
 * Reads ejsync's МИС CSV export (folder or ZIP) into a Snapshot, streaming row by row. Every
 * problem becomes a finding with file, row, field and a Russian detail; invalid records are left
 * out whole (never half-applied). References are checked against records read before (the files
 * are read in dependency order).
 */
export async function readMisCsv(bundle: FileBundle): Promise<SourceReadResult> {
  const findings: Finding[] = [];
  const counts: Partial<Record<EntityCollection, number>> = {};
  const ids = new Map<string, Set<string>>();
  const records = new Map<string, unknown[]>();
  const dataFiles = bundle.entries.filter((e) => e.name.toLowerCase().endsWith('.csv'));
  if (!bundle.entries.length) {
    return { format: 'mis-csv', snapshot: null, findings: [makeFinding('input.empty', { detail: bundle.path })], counts };
  }
  for (const e of dataFiles) {
    if (!KNOWN_FILES.has(e.name.toLowerCase())) findings.push(makeFinding('mis.unknown_file', { file: e.name }));
  }
  for (const spec of MIS_FILES) {
    const list: unknown[] = [];
    records.set(spec.collection, list);
    ids.set(spec.collection, new Set());
    const entry = bundle.find(spec.file);
    if (!entry) {
      if (spec.required) findings.push(makeFinding(spec.collection === 'school' ? 'mis.school_missing' : 'mis.missing_file', { file: spec.file }));
      continue;
    }
    try {
      await readFile(bundle, entry, spec, list, ids, findings, counts);
    } catch (error) {
      if (isEjsyncError(error)) findings.push(makeFinding(error.code, { file: spec.file, detail: error.message }));
      else findings.push(makeFinding('mis.malformed_row', { file: spec.file, detail: (error as Error).message }));
    }
  }
  const schools = records.get('school') as School[];
  if (schools.length !== 1) {
    if (bundle.find('school.csv')) findings.push(makeFinding('mis.school_missing', { file: 'school.csv', detail: `строк: ${schools.length}, нужна ровно одна` }));
    return { format: 'mis-csv', snapshot: null, findings, counts };
  }
  const snapshot: Snapshot = emptySnapshot(schools[0]);
  for (const spec of MIS_FILES) {
    if (spec.collection === 'school') continue;
    (snapshot[spec.collection] as unknown[]) = records.get(spec.collection)!;
  }
  return { format: 'mis-csv', snapshot, findings, counts };
}

async function readFile(
  bundle: FileBundle,
  entry: { name: string; size: number },
  spec: FileSpec,
  list: unknown[],
  ids: Map<string, Set<string>>,
  findings: Finding[],
  counts: Partial<Record<EntityCollection, number>>,
): Promise<void> {
  const schema = COLLECTION_SCHEMAS[spec.collection];
  const own = ids.get(spec.collection)!;
  let usable = true;
  let present: typeof spec.columns = [];
  const text = decodeText(await bundle.open(entry), entry.name);
  const rows = readCsvRows(text, {
    onHeader: (header) => {
      const names = new Set(header);
      for (const col of spec.columns) if (col.required && !names.has(col.column)) {
        findings.push(makeFinding('mis.missing_column', { file: spec.file, field: col.column }));
        usable = false;
      }
      const known = new Set(spec.columns.map((c) => c.column));
      for (const h of header) if (h && !known.has(h)) findings.push(makeFinding('mis.unknown_column', { file: spec.file, field: h }));
      present = spec.columns.filter((c) => names.has(c.column));
    },
    onMalformed: (row, reason) => findings.push(makeFinding('mis.malformed_row', { file: spec.file, row, detail: reason })),
  });
  const entity = spec.collection === 'school' ? undefined : spec.collection;
  for await (const { row, values } of rows) {
    if (!usable) continue;
    if (entity) counts[entity] = (counts[entity] ?? 0) + 1;
    const record: Record<string, unknown> = {};
    let ok = true;
    for (const col of present) {
      try {
        const value = parseCell(col.type, values[col.column] ?? '');
        if (value === undefined) {
          if (col.required) {
            findings.push(makeFinding('mis.missing_value', { file: spec.file, row, field: col.column, entity }));
            ok = false;
          }
          continue;
        }
        record[col.field] = value;
      } catch (error) {
        if (!(error instanceof CellError)) throw error;
        findings.push(makeFinding(codeForIssue(col.field, col.type), { file: spec.file, row, field: col.column, entity, detail: error.message }));
        ok = false;
      }
    }
    if (!ok) continue;
    const sourceId = String(record.sourceId ?? '');
    if (own.has(sourceId)) {
      findings.push(makeFinding('mis.duplicate_source_id', { file: spec.file, row, field: 'id', entity, sourceId, detail: sourceId }));
      continue;
    }
    for (const col of present) {
      if (!col.references || record[col.field] === undefined) continue;
      const target = String(record[col.field]);
      if (!col.references.some((r) => ids.get(r)?.has(target))) {
        findings.push(makeFinding('mis.unknown_reference', { file: spec.file, row, field: col.column, entity, sourceId, detail: `${target} (${col.references.join(' / ')})` }));
        ok = false;
      }
    }
    if (!ok) continue;
    const parsed = schema.safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const col = spec.columns.find((c) => c.field === field);
        findings.push(makeFinding(codeForIssue(field, col?.type ?? 'text'), { file: spec.file, row, field: col?.column ?? field, entity, sourceId, detail: issue.message }));
      }
      continue;
    }
    own.add(sourceId);
    list.push(parsed.data);
  }
}
