import type { DatedScope } from './dated-scope';
import type { CapabilityMatrix, ChangeOp, ComparisonRules, EntityCollection, EntityRecord, Finding, IsoDate } from '../model';
import type { ComparableFields } from './compare-records';
import type { IdMatch } from './match-entities';
import type { SourceGaps } from './source-gaps';

/**
 * One change the run will deliver. `after` is the source record with SOURCE ids: references are
 * translated to platform ids at delivery time (`translateReferences`), when records created
 * earlier in the same run have their platform ids.
 */
export interface PlannedChange<K extends EntityCollection = EntityCollection> {
  /** Deterministic delivery id `${entity}.${op}.${sourceId}` (escaped, no ':'), stable across runs. */
  id: string;
  entity: K;
  op: ChangeOp;
  /** The record's id in the source (МИС); for an archive, the id the id map remembers. */
  sourceId: string;
  /** The platform id (update, archive). */
  targetId?: string;
  /** The platform record as read, canonical, platform ids (update, archive). */
  before?: EntityRecord<K>;
  /** The source record, canonical, source ids (create, update). */
  after?: EntityRecord<K>;
  /** Fields that differ (update), compared in the platform's id space. */
  changedFields?: string[];
  /**
   * Delivery phase: creates and updates run at the collection's index in `ENTITY_ORDER`;
   * archives run after all of them, dependants first (`ENTITY_ORDER.length` + reverse index),
   * because a platform will not delete a lesson that still has marks.
   */
  phase: number;
  /** The school-local day the record belongs to (marks, lessons, works, attendance): the guard checks closed periods by it. */
  date?: IsoDate;
  /** The grade (parallel) of the record's class, when known: closed periods apply per grade. */
  grade?: number;
}

/** One line of a manual action: what to type into which field of the platform's UI. */
export interface ManualActionField {
  /** Russian label of the field as the platform's UI calls it. */
  label: string;
  /** The value to enter (names included: this goes to the administrator's report, never to logs). */
  value: string;
  /** The value on the platform now (updates). */
  previous?: string;
}

/** A change the platform's API cannot make: a person must do it in the platform's UI. */
export interface ManualAction {
  /** `manual.${entity}.${op}.${sourceId}` (escaped). */
  id: string;
  entity: EntityCollection;
  op: ChangeOp;
  sourceId: string;
  targetId?: string;
  /** Russian, e.g. «Создать ученика в классе 5А». */
  title: string;
  fields: ManualActionField[];
  /** Russian: why a human has to do it. */
  reason: string;
  /** Fields the action changes (updates): what the guard counts a membership's end by. */
  changedFields?: string[];
  date?: IsoDate;
  grade?: number;
}

export interface EntityPlanCounts {
  create: number;
  update: number;
  archive: number;
  unchanged: number;
  manual: number;
  findings: number;
  /** Platform records linked to a source record (matched now, or to be archived): the base of the guard's percentages. */
  matched: number;
}

export interface Plan {
  /** In delivery order: by phase, then in source order. */
  changes: PlannedChange[];
  manualActions: ManualAction[];
  findings: Finding[];
  /** Links found by natural keys this run: new id map entries to persist. */
  matches: IdMatch[];
  counts: Record<EntityCollection, EntityPlanCounts>;
  /** Per collection, records present only on the platform: reported, never deleted. */
  unmatchedTarget: Record<EntityCollection, number>;
  /** With `PlanOptions.datedScope`: what the scope left out, and (classes scoped) what it vouched for. */
  datedRead?: {
    /** Dated source records outside the scope: not compared. */
    notCompared: number;
    /** `entity\u0000sourceId` of dated records in the scope (source records, and platform records' id-map twins); set only when classes are scoped. */
    inScope?: ReadonlySet<string>;
    /** Dated source records of days read whose platform twin (id map) the answer lacked: left for a full read. */
    twinsUnread: number;
  };
}

export interface PlanOptions {
  /** What the platform's API can do; what it cannot becomes a manual action. */
  capabilities: CapabilityMatrix;
  /**
   * Per collection, the fields the platform can hold; only these are compared.
   * @defaultValue every field of the canonical schema
   */
  comparableFields?: ComparableFields;
  /** Platform-filled fields and fallbacks. @defaultValue none: every field compares as is */
  comparison?: ComparisonRules;
  /**
   * Collections to plan. Collections the platform cannot read are always skipped: without its
   * state ejsync could only create duplicates.
   * @defaultValue every collection of `ENTITY_ORDER`
   */
  entities?: readonly EntityCollection[];
  /**
   * What the source read could not vouch for (`sourceGapsOf`): nothing is archived in an incomplete
   * collection, rejected fields are not compared.
   * @defaultValue none: the source is complete and valid
   */
  gaps?: SourceGaps;
  /**
   * The school-local day of the run. Memberships that ended before it (a leaver, the old class of
   * a transfer) end the platform's membership by date — an update, or a manual action where the
   * API cannot — and are never created.
   * @defaultValue none: memberships compare as any other record
   */
  today?: IsoDate;
  /**
   * The dated records read from the platform (`chooseDatedRead`): dated records outside it, on
   * either side, are left alone — never created again, changed or archived.
   * @defaultValue none: every dated record is compared
   */
  datedScope?: DatedScope;
}
