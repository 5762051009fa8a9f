import type { ChangeOp } from './capabilities';
import type { EntityCollection } from './snapshot';
import type { EntityRecord } from './snapshot-sink';

/**
 * One change to apply to a platform, with every reference inside `after` already translated to
 * the platform's ids (the run pipeline does that through the id map just before delivery).
 * This is what a target connector's `apply` receives.
 */
export interface ResolvedChange<K extends EntityCollection = EntityCollection> {
  /** Deterministic delivery id (no ':'), stable across retries and restarts. */
  id: string;
  entity: K;
  op: ChangeOp;
  /** The record's id in the source system (МИС). */
  sourceId: string;
  /** The platform id of the record (update, archive; create once known). */
  targetId?: string;
  /** Canonical platform-side state before the change (update, archive). */
  before?: EntityRecord<K>;
  /** Canonical desired state with references in platform ids (create, update). */
  after?: EntityRecord<K>;
}

/** What a connector reports after one successful write. */
export interface ApplyOutcome {
  /** The platform id of the created or changed record. */
  targetId: string;
  /** HTTP status (or equivalent) of the final request. */
  status: number;
  /** Method and path of the request, never tokens or personal data. */
  request: { method: string; path: string };
  /**
   * The day the platform puts an accepted change into effect, when that is later than today (a
   * daily cut-off: СЭДиЖ / ЭПОС apply changes accepted after 14:00 the next day). @defaultValue at once
   */
  effectiveFrom?: string;
}
