import type { ApplyOutcome, CapabilityMatrix, ComparisonRules, EntityCollection, Finding, ResolvedChange, Snapshot } from '../model';

/** What part of a platform a run reads. */
export interface ReadScope {
  /** The school's id on the platform. */
  schoolId: string;
  /** Dated records (lessons, works, marks, attendance) are read in [from, to]. */
  from: string;
  to: string;
  /**
   * When set, dated records are read only for these classes (platform ids; a class's subgroups
   * with it), each over its own days within [from, to]; other classes' dated records are not read.
   * A connector that reads the school at once may ignore it: the plan compares only the scope.
   * @defaultValue every class over [from, to]
   */
  classes?: ReadonlyMap<string, { from: string; to: string }>;
}

/**
 * A platform ejsync writes to. Only connectors do I/O with platforms; every failure is thrown as
 * an `EjsyncError` with a catalogue code, `retryable` and, where known, `waitMs`.
 */
export interface TargetConnector {
  /** `dnevnik`, `sedizh`, … */
  readonly platform: string;
  /**
   * Which side this talks to: the live platform or a local emulator — as the server said of itself
   * in its last answer (an emulator announces itself), never guessed from the link's config.
   * Reports say it.
   */
  readonly environment: 'live' | 'emulator';
  readonly baseUrl: string;
  readonly capabilities: CapabilityMatrix;
  /** Per collection, the fields the platform holds; only these are compared. @defaultValue all fields */
  readonly comparableFields?: Partial<Record<EntityCollection, readonly string[]>>;
  /** Fields the platform fills itself and fallbacks (see `ComparisonRules`). @defaultValue none */
  readonly comparison?: ComparisonRules;
  /** Reads the platform's state into a canonical Snapshot (platform ids as `sourceId`). */
  readSnapshot(scope: ReadScope): Promise<{ snapshot: Snapshot; findings: Finding[] }>;
  /**
   * Looks for a record that a create would make, by its natural key (pupil + lesson for
   * attendance, pupil + work for a mark, lesson + type + title for a work). A delivery that may
   * have been sent before a crash calls this first so that it never writes twice.
   */
  findExisting(change: ResolvedChange): Promise<string | null>;
  /**
   * Reads back the record a change addresses (by `targetId` and the references of `after`, else
   * `before`, all in platform ids) as the platform holds it now: canonical fields, or null when
   * the platform has no such record. A rollback verifies every undo with it. Throws on a failed
   * read. @defaultValue absent: a rollback through this connector cannot be verified
   */
  readBack?(change: ResolvedChange): Promise<Record<string, unknown> | null>;
  /**
   * Planned changes the platform cannot take as they are (a mark its mark system cannot hold),
   * found after `readSnapshot` and before anything is written: a finding per change id. The run
   * leaves them out of the plan. @defaultValue none: every change is sent
   */
  screen?(changes: readonly Pick<ResolvedChange, 'id' | 'entity' | 'op' | 'sourceId' | 'after'>[]): Promise<Map<string, Finding>>;
  /** Applies one change; throws `EjsyncError` on failure. */
  apply(change: ResolvedChange): Promise<ApplyOutcome>;
  /**
   * 0 when this connection's requests may go; while the platform's wait (a 429 for its token)
   * runs, how long a delivery should step aside instead of holding a worker slot — spread so that
   * the deliveries stepping aside come back one by one. @defaultValue never held
   */
  stepAsideMs?(): Promise<number>;
}
