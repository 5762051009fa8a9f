import type { Finding } from './finding';
import type { Snapshot, EntityCollection } from './snapshot';

/** Formats a school's export can come in. */
export type SourceFormat = 'mis-csv' | 'mis-json' | 'oneroster';

/** What reading a source gives: the Snapshot of valid records and every finding on the way. */
export interface SourceReadResult {
  format: SourceFormat | null;
  /** Null when the input could not be read at all (exit status 2 of `validate`). */
  snapshot: Snapshot | null;
  findings: Finding[];
  /** Records read per collection, valid or not. */
  counts: Partial<Record<EntityCollection, number>>;
  /**
   * `full`: the Snapshot is the whole school. `delta` (OneRoster delta files): the Snapshot holds
   * only added or changed records, and `deleted` lists ids the source marked `tobedeleted`.
   * @defaultValue `full`
   */
  mode?: 'full' | 'delta';
  deleted?: Partial<Record<EntityCollection, string[]>>;
  /**
   * Per collection and source id, the canonical fields the reader rejected while it kept the rest
   * of the record (an invalid optional value such as a СНИЛС with a bad checksum). What the source
   * says of such a field is unknown: the planner neither compares nor writes it.
   * @defaultValue none
   */
  rejectedFields?: Partial<Record<EntityCollection, Record<string, string[]>>>;
  /**
   * Per collection, source ids of records the reader rejected whole (where the id itself could be
   * read). They are unknown, not absent: their platform twins are left as they are.
   * @defaultValue none
   */
  rejected?: Partial<Record<EntityCollection, string[]>>;
  /**
   * The collections each file (or JSON section) of this format feeds, keyed by the lower-cased
   * `file` its findings carry: an error in a file makes those collections incomplete. A finding
   * naming no known file makes every collection incomplete.
   * @defaultValue none
   */
  fileCollections?: Record<string, EntityCollection[]>;
}
