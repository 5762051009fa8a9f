import type { EntityCollection } from '../../../model';

/** One record as the emulated platform keeps it (fields canonical, references in platform ids). */
export interface StoredRecord {
  id: string;
  extId?: string;
  fields: Record<string, unknown>;
  /** The day the record's last accepted change takes effect (after the cut-off: a later day). */
  effectiveFrom: string;
}

/** One applied record change, for tests and `GET /__emulator/writes`. */
export interface EmulatorWrite {
  school: string;
  packageId: string;
  entity: EntityCollection;
  op: 'create' | 'update' | 'delete';
  id: string;
  extId?: string;
}

/** A school's journal on the emulated platform. */
export class SchoolState {
  readonly records = new Map<EntityCollection, Map<string, StoredRecord>>();
  private readonly byExt = new Map<EntityCollection, Map<string, string>>();
  /** Ids deleted, so that a repeated delete of a lost receipt's package is answered as done. */
  readonly deleted = new Map<EntityCollection, Set<string>>();

  constructor(readonly schoolId: string) {}

  of(entity: EntityCollection): Map<string, StoredRecord> {
    let m = this.records.get(entity);
    if (!m) this.records.set(entity, (m = new Map()));
    return m;
  }

  idOfExt(entity: EntityCollection, extId: string): string | undefined {
    return this.byExt.get(entity)?.get(extId);
  }

  put(entity: EntityCollection, record: StoredRecord): void {
    this.of(entity).set(record.id, record);
    if (record.extId) {
      if (!this.byExt.has(entity)) this.byExt.set(entity, new Map());
      this.byExt.get(entity)!.set(record.extId, record.id);
    }
  }

  remove(entity: EntityCollection, id: string): void {
    const rec = this.of(entity).get(id);
    if (!rec) return;
    this.of(entity).delete(id);
    if (rec.extId) this.byExt.get(entity)?.delete(rec.extId);
    if (!this.deleted.has(entity)) this.deleted.set(entity, new Set());
    this.deleted.get(entity)!.add(id);
  }

  count(): number {
    let n = 0;
    for (const m of this.records.values()) n += m.size;
    return n;
  }
}

/** Everything the emulated platform holds: schools, receipts by package id, the write log. */
export class EmulatorState {
  readonly schools = new Map<string, SchoolState>();
  /** Receipt text (before encoding) of every package seen, by package id: a package id is applied once. */
  readonly receipts = new Map<string, string>();
  /** Packages whose receipt is held back until the same package comes again (a lost receipt). */
  readonly withheld = new Set<string>();
  readonly writes: EmulatorWrite[] = [];
  /** Package hand-overs (the one re-send included), by package id. */
  readonly handovers = new Map<string, number>();
  private nextId = 100_000;

  school(id: string): SchoolState {
    let s = this.schools.get(id);
    if (!s) this.schools.set(id, (s = new SchoolState(id)));
    return s;
  }

  newId(): string {
    this.nextId += 1;
    return String(this.nextId);
  }
}
