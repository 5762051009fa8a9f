import type { Snapshot } from '../model';
import { derivePersonDirectory, type PersonDirectoryEntry } from '../reconcile/identity';

/** Where a school's directory goes: the store (`store.personDirectory`), handed in by the caller. */
export interface PersonDirectoryWriter {
  personDirectory: { replaceSchool(schoolId: string, entries: readonly PersonDirectoryEntry[]): Promise<unknown> };
}

/**
 * Replaces a school's person directory with the staff and guardians of a fresh source read, so
 * that sign-in finds candidates. Called by the planning job after reading the МИС. Does no I/O
 * of its own: derives the entries (pure) and hands them to the writer, which keeps keyed hashes
 * in one transaction. Returns how many people the directory now holds for the school.
 */
export async function refreshPersonDirectory(store: PersonDirectoryWriter, schoolId: string, snapshot: Snapshot): Promise<{ entries: number }> {
  const entries = derivePersonDirectory(snapshot);
  await store.personDirectory.replaceSchool(schoolId, entries);
  return { entries: entries.length };
}
