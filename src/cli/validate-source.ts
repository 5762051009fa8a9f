import { readSource } from '../connectors/read-source';
import { hasErrors, type EntityCollection, type Finding, type SourceFormat } from '../model';
import { runSanityChecks } from '../reconcile/sanity';

/** What `ejsync validate` found about one export. */
export interface ValidationResult {
  format: SourceFormat | null;
  counts: Partial<Record<EntityCollection, number>>;
  /** Reading findings first, then the cross-record sanity checks. */
  findings: Finding[];
  /** False when the input could not be read at all. */
  readable: boolean;
}

/** Reads an export, runs the sanity checks on what was read. */
export async function validateSource(target: string): Promise<ValidationResult> {
  const read = await readSource(target);
  const findings = [...read.findings];
  if (read.snapshot) findings.push(...runSanityChecks(read.snapshot));
  return { format: read.format, counts: read.counts, findings, readable: read.snapshot !== null };
}

/** 0 clean (warnings allowed), 1 findings with errors, 2 unreadable input. */
export function validationExitStatus(result: ValidationResult): 0 | 1 | 2 {
  if (!result.readable) return 2;
  return hasErrors(result.findings) ? 1 : 0;
}
