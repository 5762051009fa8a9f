import type { EntityCollection } from './snapshot';
import { catalogueEntry, type ErrorCode, type Severity } from './catalogue';

/**
 * A problem found in data or during a run: stable code, Russian message and hint from the
 * catalogue, and where it was found. Never a silent drop.
 */
export interface Finding {
  code: ErrorCode;
  severity: Severity;
  message: string;
  hint: string;
  /** File (or logical source) the record came from. */
  file?: string;
  /** 1-based data row number in `file` (header excluded), when the source has rows. */
  row?: number;
  field?: string;
  entity?: EntityCollection;
  /** The record's id in its source system; never a name or СНИЛС. */
  sourceId?: string;
}

export interface FindingContext {
  file?: string;
  row?: number;
  field?: string;
  entity?: EntityCollection;
  sourceId?: string;
  /** Specific Russian detail appended to the catalogue message. */
  detail?: string;
  /** Overrides the catalogue severity (e.g. a check a policy downgrades). */
  severity?: Severity;
}

export function makeFinding(code: ErrorCode, ctx: FindingContext = {}): Finding {
  const entry = catalogueEntry(code);
  const { detail, severity, ...where } = ctx;
  const finding: Finding = {
    code,
    severity: severity ?? entry.severity,
    message: detail ? `${entry.message}: ${detail}` : entry.message,
    hint: entry.hint,
  };
  for (const [k, v] of Object.entries(where)) if (v !== undefined) (finding as unknown as Record<string, unknown>)[k] = v;
  return finding;
}

export function hasErrors(findings: readonly Finding[]): boolean {
  return findings.some((f) => f.severity === 'error');
}
