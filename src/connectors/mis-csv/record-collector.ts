import { emptySnapshot, ENTITY_SCHEMAS, isIsoDate, makeFinding, type EntityCollection, type ErrorCode, type Finding, type School, type Snapshot, type SourceReadResult } from '../../model';
import { CellError, parseCell } from './column-types';
import { MIS_FILES, type ColumnSpec, type FileSpec } from './file-specs';

/** Plausible ages at the start of the academic year, per collection of people. */
const PLAUSIBLE_AGE: Partial<Record<EntityCollection, [number, number]>> = { pupils: [3, 25], staff: [16, 90], guardians: [14, 110] };

const addYears = (day: string, years: number) => `${String(Number(day.slice(0, 4)) + years).padStart(4, '0')}${day.slice(4)}`;

/** Whole years between a birth date and a day (both `YYYY-MM-DD`). */
function ageOn(birth: string, day: string): number {
  const years = Number(day.slice(0, 4)) - Number(birth.slice(0, 4));
  return day.slice(5) < birth.slice(5) ? years - 1 : years;
}

/**
 * A column whose bad value loses only that field: optional, not a reference (a record pointing at
 * an unknown record is unclear as a whole), not a period's `closed` flag (the guard relies on it).
 */
function isDroppable(col: ColumnSpec): boolean {
  return !col.required && !col.references && col.field !== 'closed' && col.type !== 'id';
}

function codeForIssue(field: string, type: string): ErrorCode {
  if (field === 'snils') return 'mis.invalid_snils';
  if (type === 'mark') return 'mis.unknown_mark_value';
  if (type === 'attendance') return 'mis.unknown_attendance_code';
  return 'mis.invalid_value';
}

/**
 * Validates МИС records one at a time (cells as text, whatever the container: CSV or JSON) and
 * keeps the valid ones. A bad optional value drops that field (`rejectedFields`: the planner then
 * neither compares nor writes it); any other problem leaves the record out whole (`rejected`: its
 * platform twin is left as it is). A finding per problem. Two rows with one id: neither is used.
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

  /**
   * `file` names the container in findings (the CSV file, or `doc.json → pupils`); `wrongTypes`
   * holds, per column, why its value could not be read as text at all (JSON of the wrong type).
   */
  accept(spec: FileSpec, row: number, values: Record<string, string>, file: string = spec.file, wrongTypes: Record<string, string> = {}): void {
    const entity = spec.collection === 'school' ? undefined : spec.collection;
    if (entity) this.counts[entity] = (this.counts[entity] ?? 0) + 1;
    const own = this.ids.get(spec.collection)!;
    const record: Record<string, unknown> = {};
    const problems: { col: ColumnSpec | undefined; field: string; code: ErrorCode; detail?: string }[] = [];
    for (const col of spec.columns) {
      if (wrongTypes[col.column] !== undefined) {
        problems.push({ col, field: col.field, code: 'mis.invalid_value', detail: wrongTypes[col.column] });
        continue;
      }
      try {
        const value = parseCell(col.type, values[col.column] ?? '');
        if (value === undefined) {
          if (col.required) problems.push({ col, field: col.field, code: 'mis.missing_value' });
          continue;
        }
        const implausible = col.type === 'date' ? this.implausibleDate(spec, col, String(value)) : undefined;
        if (implausible) problems.push({ col, field: col.field, code: 'mis.implausible_date', detail: implausible });
        else record[col.field] = value;
      } catch (error) {
        if (!(error instanceof CellError)) throw error;
        problems.push({ col, field: col.field, code: codeForIssue(col.field, col.type), detail: error.message });
      }
    }
    const sourceId = typeof record.sourceId === 'string' ? record.sourceId : undefined;
    const report = (p: (typeof problems)[number]) =>
      this.findings.push(makeFinding(p.code, { file, row, field: p.col?.column ?? p.field, entity, sourceId, detail: p.detail }));
    // A bad optional value loses that field, not the record: the rest is still what the МИС says.
    const dropped: string[] = [];
    const dropOrReject = (list: typeof problems): boolean => {
      let whole = false;
      for (const p of list) {
        report(p);
        if (p.col && isDroppable(p.col)) {
          dropped.push(p.field);
          delete record[p.field];
        } else whole = true;
      }
      return !whole;
    };
    if (!dropOrReject(problems)) return this.reject(spec, sourceId);
    if (sourceId === undefined) return;
    if (own.has(sourceId) || this.duplicated.get(spec.collection)?.has(sourceId)) {
      this.findings.push(makeFinding('mis.duplicate_source_id', { file, row, field: 'id', entity, sourceId, detail: sourceId }));
      // Which of the two rows is the МИС's record is unknown: neither is used.
      let set = this.duplicated.get(spec.collection);
      if (!set) this.duplicated.set(spec.collection, (set = new Set()));
      set.add(sourceId);
      return;
    }
    const refProblems: typeof problems = [];
    for (const col of spec.columns) {
      if (!col.references || record[col.field] === undefined) continue;
      const target = String(record[col.field]);
      if (!col.references.some((r) => this.ids.get(r)?.has(target))) refProblems.push({ col, field: col.field, code: 'mis.unknown_reference', detail: `${target} (${col.references.join(' / ')})` });
    }
    if (refProblems.length) {
      refProblems.forEach(report);
      return this.reject(spec, sourceId);
    }
    let parsed = ENTITY_SCHEMAS[spec.collection].safeParse(record);
    for (let pass = 0; !parsed.success && pass < 2; pass++) {
      const issues = parsed.error.issues.map((issue) => {
        const field = String(issue.path[0] ?? '');
        const col = spec.columns.find((c) => c.field === field);
        return { col, field, code: codeForIssue(field, col?.type ?? 'text'), detail: issue.message };
      });
      if (!dropOrReject(issues)) return this.reject(spec, sourceId);
      parsed = ENTITY_SCHEMAS[spec.collection].safeParse(record);
    }
    if (!parsed.success) return this.reject(spec, sourceId);
    own.add(sourceId);
    if (dropped.length && entity) (this.rejectedFields[entity] ??= {})[sourceId] = dropped;
    this.records.get(spec.collection)!.push(parsed.data);
  }

  /** Source ids of rejected records, per collection: unknown, never treated as deleted. */
  readonly rejected: Partial<Record<EntityCollection, string[]>> = {};
  /** Fields dropped from kept records, per collection and source id. */
  readonly rejectedFields: Partial<Record<EntityCollection, Record<string, string[]>>> = {};
  private readonly duplicated = new Map<string, Set<string>>();

  private reject(spec: FileSpec, sourceId: string | undefined): void {
    if (spec.collection !== 'school' && sourceId !== undefined) (this.rejected[spec.collection] ??= []).push(sourceId);
  }

  /**
   * A date no school record can carry: a pupil aged under 3 or over 25 at the start of the latest
   * academic year (staff 16–90, guardians 14–110); any other date more than 15 years before that
   * year or more than a year after its end; any date outside 1900–2100.
   */
  private implausibleDate(spec: FileSpec, col: ColumnSpec, value: string): string | undefined {
    if (!isIsoDate(value)) return undefined; // the schema reports the format
    const year = Number(value.slice(0, 4));
    if (year < 1900 || year > 2100) return `«${value}»: год вне 1900–2100`;
    const latest = this.latestYear();
    if (!latest || spec.collection === 'academicYears') return undefined;
    if (col.field === 'birthDate') {
      const age = ageOn(value, latest.startDate);
      const [min, max] = PLAUSIBLE_AGE[spec.collection as EntityCollection] ?? [14, 110];
      return age < min || age > max ? `«${value}»: на начало учебного года (${latest.startDate}) возраст ${age}, ожидается ${min}–${max}` : undefined;
    }
    const from = addYears(latest.startDate, -15);
    const to = addYears(latest.endDate, 1);
    return value < from || value > to ? `«${value}»: вне ${from} … ${to} (учебный год ${latest.startDate} – ${latest.endDate})` : undefined;
  }

  private latestYear(): { startDate: string; endDate: string } | undefined {
    let latest: { startDate: string; endDate: string } | undefined;
    for (const y of this.records.get('academicYears') as { startDate: string; endDate: string }[]) if (!latest || y.startDate > latest.startDate) latest = y;
    return latest;
  }

  /**
   * What the reader knows beyond the Snapshot: rejected ids and fields, and the collection each
   * file label of `label(spec)` feeds (school.csv is left out: an error there makes everything unknown).
   */
  gaps(label: (spec: FileSpec) => string): Pick<SourceReadResult, 'rejected' | 'rejectedFields' | 'fileCollections'> {
    const fileCollections: Record<string, EntityCollection[]> = {};
    for (const spec of MIS_FILES) if (spec.collection !== 'school') fileCollections[label(spec).toLowerCase()] = [spec.collection];
    return { rejected: this.rejected, rejectedFields: this.rejectedFields, fileCollections };
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
      if (spec.collection === 'school') continue;
      let records = this.records.get(spec.collection)! as { sourceId: string }[];
      const duplicated = this.duplicated.get(spec.collection);
      if (duplicated) {
        records = records.filter((r) => !duplicated.has(r.sourceId));
        (this.rejected[spec.collection] ??= []).push(...duplicated);
      }
      (snapshot[spec.collection] as unknown[]) = records;
    }
    return snapshot;
  }
}
