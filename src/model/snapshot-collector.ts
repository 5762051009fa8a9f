import type { School } from './school';
import { emptySnapshot, type EntityCollection, type Snapshot } from './snapshot';
import type { EntityRecord, SnapshotSink } from './snapshot-sink';

/** A sink that keeps everything in memory; `snapshot()` after `close()`. */
export class SnapshotCollector implements SnapshotSink {
  private result: Snapshot | null = null;
  private readonly pending: { [K in EntityCollection]?: EntityRecord<K>[] } = {};

  school(school: School): void {
    this.result = emptySnapshot(school);
    for (const [k, list] of Object.entries(this.pending)) (this.result[k as EntityCollection] as unknown[]).push(...(list as unknown[]));
  }

  add<K extends EntityCollection>(collection: K, record: EntityRecord<K>): void {
    if (this.result) (this.result[collection] as EntityRecord<K>[]).push(record);
    else ((this.pending[collection] ??= []) as EntityRecord<K>[]).push(record);
  }

  async close(): Promise<void> {}

  snapshot(): Snapshot {
    if (!this.result) throw new Error('SnapshotCollector: no school was written');
    return this.result;
  }
}
