import {
  ENTITY_SCHEMAS,
  makeFinding,
  type EntityCollection,
  type ErrorCode,
  type Finding,
  type Snapshot,
} from '../../model';
import { applyExtension, EJSYNC_EXTENSION, extensionOf, extensionProblem } from './ejsync-extension';
import type { OneRosterFileName } from './file-specs';
import type { RawFile, RawPackage, RawRecord } from './raw-package';

/** The collections a OneRoster package fills. */
export type MappedCollection = Extract<
  EntityCollection,
  'academicYears' | 'periods' | 'subjects' | 'staff' | 'pupils' | 'guardians' | 'guardianLinks' | 'classes' | 'subgroups' | 'memberships' | 'works' | 'marks'
>;

type Item<K extends MappedCollection> = Snapshot[K][number];


/** Where a canonical field came from, so a validation failure names the OneRoster cell. */
export interface FieldSource {
  file: OneRosterFileName;
  row?: number;
  column: string;
}

/** A canonical record built from OneRoster rows, before validation. */
export interface Draft {
  record: Record<string, unknown>;
  /** The row the record comes from. */
  origin: RawRecord;
  /** Canonical field → OneRoster column (in the origin row, or in another file). */
  fields: Record<string, string | FieldSource>;
}

/**
 * What the mapping steps share: the raw package, the findings, and the canonical records
 * accepted so far (validated through the model's zod schemas). Steps run in dependency order
 * and look earlier results up here; a record that failed validation is remembered as rejected
 * so that records pointing at it say so instead of vanishing.
 */
export class MappingContext {
  readonly findings: Finding[];
  readonly counts: Partial<Record<EntityCollection, number>> = {};
  readonly deleted: Partial<Record<EntityCollection, string[]>> = {};
  /** Per collection and id, canonical fields the package does not tell (see {@link unknownFields}). */
  readonly unknown: Partial<Record<EntityCollection, Record<string, string[]>>> = {};
  private readonly accepted = new Map<MappedCollection, Map<string, unknown>>();
  private readonly rejectedSets = new Map<MappedCollection, Set<string>>();
  private readonly skippedIds = new Map<MappedCollection, Set<string>>();
  /** Rows whose `metadata.ejsync` cell was reported unreadable (once each). */
  private readonly badExtensions = new Set<RawRecord>();

  constructor(
    readonly pkg: RawPackage,
    readonly timeZone: string,
    /** A delta package: references to records not sent are trusted (the receiver has them). */
    readonly delta: boolean,
    findings: Finding[],
  ) {
    this.findings = findings;
  }

  file(name: OneRosterFileName): RawFile | undefined {
    return this.pkg.get(name);
  }

  /** Rows of a file to map: neither rejected nor marked for deletion. */
  rows(name: OneRosterFileName): RawRecord[] {
    return (this.pkg.get(name)?.records ?? []).filter((r) => !r.rejected && !r.deleted);
  }

  /** Rows of a file marked `tobedeleted` (delta files only). */
  deletedRows(name: OneRosterFileName): RawRecord[] {
    return (this.pkg.get(name)?.records ?? []).filter((r) => r.deleted);
  }

  /** A row by sourcedId, whatever its state. */
  raw(name: OneRosterFileName, id: string): RawRecord | undefined {
    return this.pkg.get(name)?.byId.get(id);
  }

  /** A usable row by sourcedId (not rejected, not deleted). */
  usable(name: OneRosterFileName, id: string | undefined): RawRecord | undefined {
    if (id === undefined) return undefined;
    const r = this.raw(name, id);
    return r && !r.rejected && !r.deleted ? r : undefined;
  }

  report(code: ErrorCode, at: RawRecord, opts: { field?: string; detail?: string; entity?: EntityCollection } = {}): void {
    this.findings.push(makeFinding(code, { file: at.file, row: at.row, sourceId: at.sourcedId, ...opts }));
  }

  count(collection: EntityCollection): void {
    this.counts[collection] = (this.counts[collection] ?? 0) + 1;
  }

  markDeleted(collection: EntityCollection, id: string): void {
    (this.deleted[collection] ??= []).push(id);
  }

  /**
   * Fields of an accepted record the package does not tell (a pupil's birth date when
   * demographics.csv does not give it): the planner neither compares nor clears them.
   */
  unknownFields(collection: MappedCollection, id: string, fields: string[]): void {
    if (fields.length) (this.unknown[collection] ??= {})[id] = fields;
  }

  /** Ids of records rejected whole, per collection (not those the model cannot express). */
  rejectedIds(): Partial<Record<EntityCollection, string[]>> {
    const out: Partial<Record<EntityCollection, string[]>> = {};
    for (const [collection, ids] of this.rejectedSets) if (ids.size) out[collection] = [...ids];
    return out;
  }

  /** Validates a draft through the canonical schema; accepted records become visible to later steps. */
  accept<K extends MappedCollection>(collection: K, draft: Draft): Item<K> | null {
    this.count(collection);
    const problem = extensionProblem(draft.origin);
    if (problem && !this.badExtensions.has(draft.origin)) {
      this.badExtensions.add(draft.origin);
      this.report('oneroster.invalid_value', draft.origin, { field: EJSYNC_EXTENSION, entity: collection, detail: `${problem}; поля расширения не прочитаны` });
    }
    applyExtension(draft.record, extensionOf(draft.origin, collection));
    for (const key of Object.keys(draft.record)) if (draft.record[key] === undefined) delete draft.record[key];
    const parsed = ENTITY_SCHEMAS[collection].safeParse(draft.record);
    const id = String(draft.record.sourceId);
    if (!parsed.success) {
      for (const issue of parsed.error.issues) {
        const field = String(issue.path[0] ?? '');
        const source = draft.fields[field];
        const where: FieldSource = typeof source === 'string' || source === undefined ? { file: draft.origin.file, row: draft.origin.row, column: source ?? field } : source;
        const code: ErrorCode = draft.record[field] === undefined ? 'oneroster.missing_value' : 'oneroster.invalid_value';
        this.findings.push(
          makeFinding(code, {
            file: where.file,
            row: where.row,
            field: where.column,
            entity: collection,
            sourceId: draft.origin.sourcedId,
            detail: `${issue.message} (${field || 'запись'})`,
          }),
        );
      }
      this.set(this.rejectedSets, collection, id);
      return null;
    }
    const map = this.accepted.get(collection) ?? new Map<string, unknown>();
    this.accepted.set(collection, map);
    map.set(id, parsed.data);
    return parsed.data as Item<K>;
  }

  /** Remembers a record that was not built at all (a finding was already reported for it). */
  reject(collection: MappedCollection, id: string): void {
    this.count(collection);
    this.set(this.rejectedSets, collection, id);
  }

  /** Remembers a record the model cannot express (a warning was already reported for it). */
  skip(collection: MappedCollection, id: string): void {
    this.count(collection);
    this.set(this.skippedIds, collection, id);
  }

  get<K extends MappedCollection>(collection: K, id: string | undefined): Item<K> | undefined {
    if (id === undefined) return undefined;
    return this.accepted.get(collection)?.get(id) as Item<K> | undefined;
  }

  isRejected(collection: MappedCollection, id: string): boolean {
    return this.rejectedSets.get(collection)?.has(id) ?? false;
  }

  all<K extends MappedCollection>(collection: K): Item<K>[] {
    return [...(this.accepted.get(collection)?.values() ?? [])] as Item<K>[];
  }

  /**
   * True when `id` names an accepted record of one of `collections`. Otherwise reports why the
   * row at `at` cannot be mapped: the target was rejected (`oneroster.rejected_reference`), cannot
   * be expressed (`oneroster.not_expressible`, a warning like the target's own) or is not of the
   * expected kind (`oneroster.unknown_reference`, with `missingDetail`). In a delta
   * package an id that `sentIn` does not carry at all is trusted.
   */
  requires(collections: MappedCollection[], id: string, at: RawRecord, column: string, entity: MappedCollection, missingDetail: string, sentIn?: OneRosterFileName): boolean {
    if (collections.some((c) => this.accepted.get(c)?.has(id))) return true;
    if (this.delta && sentIn && !this.raw(sentIn, id)) return true;
    if (collections.some((c) => this.skippedIds.get(c)?.has(id))) {
      this.report('oneroster.not_expressible', at, { field: column, entity, detail: `${id} не переносится, поэтому не переносится и эта запись` });
      return false;
    }
    if (collections.some((c) => this.isRejected(c, id)) || (sentIn && this.raw(sentIn, id)?.rejected)) {
      this.report('oneroster.rejected_reference', at, { field: column, entity, detail: id });
    } else {
      this.report('oneroster.unknown_reference', at, { field: column, entity, detail: `${id}: ${missingDetail}` });
    }
    return false;
  }

  private set(map: Map<MappedCollection, Set<string>>, collection: MappedCollection, id: string): void {
    const set = map.get(collection) ?? new Set<string>();
    map.set(collection, set);
    set.add(id);
  }
}
