import type { OneRosterFileName, OneRosterFileSpec } from './file-specs';

/** One data row of a OneRoster file, checked against its column spec but not yet mapped. */
export interface RawRecord {
  file: OneRosterFileName;
  /** 1-based data row (header excluded). */
  row: number;
  sourcedId: string;
  /** Non-empty cells, trimmed, keyed by the spec's column name (1.1 aliases resolved). */
  values: Record<string, string>;
  /** `status = tobedeleted` in a delta file. */
  deleted: boolean;
  /** An error was reported for the row itself: it is not mapped. */
  rejected: boolean;
}

export interface RawFile {
  spec: OneRosterFileSpec;
  mode: 'bulk' | 'delta';
  /** Every row with a usable, unique sourcedId, in file order (rejected rows included, flagged). */
  records: RawRecord[];
  byId: Map<string, RawRecord>;
}

/** The data files of a package as read, by file name. */
export type RawPackage = Map<OneRosterFileName, RawFile>;
