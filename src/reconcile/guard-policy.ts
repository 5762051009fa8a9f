import type { EntityCollection } from '../model';

/** Safety thresholds of one collection. */
export interface ThresholdPolicy {
  /** Hold the run when more than this share of the collection's linked records would be archived. @defaultValue 10 */
  archivePercent: number;
  /** Hold the run when more than this share of the collection's linked records would be updated. @defaultValue 75 */
  updatePercent: number;
  /** Percentages are checked only from this many archives (updates) on. @defaultValue 1 */
  minimumChanges: number;
}

/**
 * A date range, yearly (`MM-DD`, e.g. 08-20 … 09-15, may wrap over New Year) or absolute
 * (`YYYY-MM-DD`), inclusive, in the school's time zone; optionally only between two times of day.
 */
export interface DateWindow {
  from: string;
  to: string;
  /** `HH:MM`, school-local; with `timeTo`, the window holds only in that part of each day. */
  timeFrom?: string;
  timeTo?: string;
  /** Why the window exists, for the report. */
  note?: string;
}

/**
 * What the guard needs from a link's policy. `src/config/policy.ts` validates the file into this
 * shape; reconcile declares it so that it depends on nothing but the model.
 */
export interface GuardPolicy {
  thresholds: ThresholdPolicy & {
    /** Per-collection overrides, e.g. stricter thresholds for marks. @defaultValue none */
    perEntity?: Partial<Record<EntityCollection, Partial<ThresholdPolicy>>>;
  };
  additionsOnly: {
    /** @defaultValue 20 August – 15 September */
    windows: DateWindow[];
    /**
     * `defer`: archives wait for a run after the window, creates and updates go now;
     * `hold`: the whole run waits for a human.
     * @defaultValue 'defer'
     */
    archives: 'defer' | 'hold';
  };
  /**
   * What errors in the source do to a run: `hold` — the run waits for a human; `deliver_valid` —
   * valid records go, rejected ones are neither sent nor removed (listed in the report). A missing
   * required file refuses the run either way.
   * @defaultValue 'hold'
   */
  sourceErrors: 'hold' | 'deliver_valid';
  blackout: {
    /** @defaultValue none */
    windows: DateWindow[];
    /** `refuse`: the run does not start; `hold`: it waits for a human. @defaultValue 'refuse' */
    action: 'refuse' | 'hold';
  };
}

/** The thresholds that apply to one collection. */
export function thresholdsFor(policy: GuardPolicy, entity: EntityCollection): ThresholdPolicy {
  const { perEntity, ...base } = policy.thresholds;
  return { ...base, ...(perEntity?.[entity] ?? {}) };
}
