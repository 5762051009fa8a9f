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
}
