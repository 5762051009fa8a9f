import { readSource, type ReadSourceOptions } from '../connectors/read-source';
import { hasErrors, type EntityCollection, type Finding, type SourceFormat } from '../model';
import { runSanityChecks, type SanityCode } from '../reconcile/sanity';

/** What `ejsync validate` found about one export. */
export interface ValidationResult {
  format: SourceFormat | null;
  counts: Partial<Record<EntityCollection, number>>;
  /** Reading findings first, then the cross-record sanity checks. */
  findings: Finding[];
  /** False when the input could not be read at all. */
  readable: boolean;
}

/**
 * Sanity checks that assume the Snapshot is the whole school (every pupil's class, every
 * parallel's periods, every mark's group membership, …): a delta package holds only what changed,
 * so only the checks within the records it carries run on it.
 */
const WHOLE_SCHOOL_CHECKS: readonly SanityCode[] = [
  'sanity.no_periods_for_grade',
  'sanity.class_without_homeroom',
  'sanity.subject_not_taught',
  'sanity.pupil_without_class',
  'sanity.lesson_outside_period',
  'sanity.lesson_outside_timetable',
  'sanity.mark_pupil_not_in_group',
  'sanity.mark_in_closed_period',
  'sanity.marks_in_first_grade',
  'sanity.attendance_pupil_not_in_group',
  'sanity.attendance_in_closed_period',
];

/** Reads an export, runs the sanity checks on what was read (a delta package as a delta). */
export async function validateSource(target: string, options: ReadSourceOptions = {}): Promise<ValidationResult> {
  const read = await readSource(target, options);
  const findings = [...read.findings];
  if (read.snapshot) findings.push(...runSanityChecks(read.snapshot, read.mode === 'delta' ? { skip: WHOLE_SCHOOL_CHECKS } : {}));
  // A package that was read but gave no Snapshot (a OneRoster package naming no school) is
  // invalid, not unreadable: records were read and reported on.
  const readAny = read.snapshot !== null || Object.values(read.counts).some((n) => (n ?? 0) > 0);
  return { format: read.format, counts: read.counts, findings, readable: readAny };
}

/** 0 clean (warnings allowed), 1 findings with errors, 2 unreadable input. */
export function validationExitStatus(result: ValidationResult): 0 | 1 | 2 {
  if (!result.readable) return 2;
  return hasErrors(result.findings) ? 1 : 0;
}
