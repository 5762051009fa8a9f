export type Severity = 'error' | 'warning';

/** One catalogue entry: what an administrator reads and whether a delivery may be retried. */
export interface CatalogueEntryDef {
  severity: Severity;
  /** Russian, for administrators: what happened. */
  message: string;
  /** Russian, for administrators: what to do about it. */
  hint: string;
  /** For delivery errors: whether trying again can help. @defaultValue false */
  retryable?: boolean;
}

/** Sections are plain objects keyed by dotted code; `satisfies` keeps the literal keys. */
export type CatalogueSection = Record<string, CatalogueEntryDef>;
