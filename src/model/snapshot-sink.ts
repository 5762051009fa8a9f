import type { School } from './school';
import type { EntityCollection, Snapshot } from './snapshot';

/** One record of a Snapshot collection. */
export type EntityRecord<K extends EntityCollection> = Snapshot[K][number];

/**
 * Where a stream of canonical records goes: a file writer (МИС CSV, OneRoster), an in-memory
 * Snapshot, a counter. `add` may return a promise to apply back-pressure; callers await it.
 */
export interface SnapshotSink {
  school(school: School): void | Promise<void>;
  add<K extends EntityCollection>(collection: K, record: EntityRecord<K>): void | Promise<void>;
  close(): Promise<void>;
}
