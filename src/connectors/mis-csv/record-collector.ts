import { emptySnapshot, ENTITY_SCHEMAS, makeFinding, type EntityCollection, type ErrorCode, type Finding, type School, type Snapshot } from '../../model';
import { CellError, parseCell } from './column-types';
import { MIS_FILES, type FileSpec } from './file-specs';

function codeForIssue(field: string, type: string): ErrorCode {
  if (field === 'snils') return 'mis.invalid_snils';
  if (type === 'mark') return 'mis.unknown_mark_value';
  if (type === 'attendance') return 'mis.unknown_attendance_code';
  return 'mis.invalid_value';
}

/**
 * Validates МИС records one at a time (cells as text, whatever the container: CSV or JSON) and
 * keeps the valid ones. A record with any problem is left out whole, with a finding per problem.
 * References are checked against records accepted before, so files must be fed in `MIS_FILES`
 * order.
 */
export class MisRecordCollector {
  readonly findings: Finding[] = [];
  readonly counts: Partial<Record<EntityCollection, number>> = {};
  private readonly ids = new Map<string, Set<string>>();
  private readonly records = new Map<string, unknown[]>(MIS_FILES.map((f) => [f.collection, []]));

  constructor() {
    for (const f of MIS_FILES) this.ids.set(f.collection, new Set());
  }

  /** Checks a header (or a JSON record's keys) for missing required and unknown columns; false when unusable. */
  checkColumns(spec: FileSpec, columns: readonly string[]): boolean {
    const names = new Set(columns);
    let usable = true;
    for (const col of spec.columns) if (col.required && !names.has(col.column)) {
      this.findings.push(makeFinding('mis.missing_column', { file: spec.file, field: col.column }));
      usable = false;
    }
    const known = new Set(spec.columns.map((c) => c.column));
    for (const h of columns) if (h && !known.has(h)) this.findings.push(makeFinding('mis.unknown_column', { file: spec.file, field: h }));
    return usable;
  }

  /** `file` names the container in findings (the CSV file, or `doc.json → pupils`). */
  accept(spec: FileSpec, row: number, values: Record<string, string>, file: string = spec.file): void {
    const entity = spec.collection === 'school' ? undefined : spec.collection;
    if (entity) this.counts[entity] = (this.counts[entity] ?? 0) + 1;
    const own = this.ids.get(spec.collection)!;
    const record: Record<string, unknown> = {};
    let ok = true;
    for (const col of spec.columns) {
      try {
        const value = parseCell(col.type, values[col.column] ?? '');
        if (value === undefined) {
          if (col.required) {
            this.findings.push(makeFinding('mis.missing_value', { file, row, field: col.column, entity }));
            ok = false;
          }
          continue;
        }
        record[col.field] = value;
      } catch (error) {
        if (!(error instanceof CellError)) throw error;
        this.findings.push(makeFinding(codeForIssue(col.field, col.type), { file, row, field: col.column, entity, detail: error.message }));
        ok = false;
      }
    }
    if (!ok) return;
    const sourceId = String(record.sourceId ?? '');
    if (own.has(sourceId)) {
      this.findings.push(makeFinding('mis.duplicate_source_id', { file, row, field: 'id', entity, sourceId, detail: sourceId }));
      return;
    }
    for (const col of spec.columns) {
      if (!col.references || record[col.field] === undefined) continue;
      const target = String(record[col.field]);
      if (!col.references.some((r) => this.ids.get(r)?.has(target))) {
        this.findings.push(makeFinding('mis.unknown_reference', { file, row, field: col.column, entity, sourceId, detail: `${target} (${col.references.join(' / ')})` }));
        ok = false;
      }
    }
    if (!ok) return;
    const parsed = ENTITY_SCHEMAS[spec.collection].safeParse(record);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const col = spec.columns.find((c) => c.field === field);
        this.findings.push(makeFinding(codeForIssue(field, col?.type ?? 'text'), { file, row, field: col?.column ?? field, entity, sourceId, detail: issue.message }));
      }
      return;
    }
    own.add(sourceId);
    this.records.get(spec.collection)!.push(parsed.data);
  }

  /** The Snapshot of accepted records, or null (with a finding) when there is not exactly one school. */
  snapshot(schoolFilePresent: boolean): Snapshot | null {
    const schools = this.records.get('school') as School[];
    if (schools.length !== 1) {
      if (schoolFilePresent) this.findings.push(makeFinding('mis.school_missing', { file: 'school.csv', detail: `строк: ${schools.length}, нужна ровно одна` }));
      return null;
    }
    const snapshot = emptySnapshot(schools[0]);
    for (const spec of MIS_FILES) {
      if (spec.collection !== 'school') (snapshot[spec.collection] as unknown[]) = this.records.get(spec.collection)!;
    }
    return snapshot;
  }
}
