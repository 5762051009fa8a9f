const MiB = 1024 * 1024;

/**
 * What an export may hold before ejsync refuses it (a file, a line, an archive): each limit keeps a
 * hostile or broken input from taking unbounded time or memory, and each breach is a finding with
 * its own code, never a hang or a crash.
 */
export interface InputLimits {
  /**
   * Bytes in one line of a CSV file (line breaks not counted). A longer line stops the file there
   * (`input.line_too_long`) before the line is held in memory.
   * @defaultValue 1 MiB (1,048,576)
   */
  maxLineBytes: number;
  /**
   * Columns in a CSV header: a wider file is not read (`input.too_many_columns`).
   * @defaultValue 200
   */
  maxColumns: number;
  /**
   * Bytes of one CSV file (unpacked, for a ZIP entry): a larger one is not read (`input.file_too_large`).
   * @defaultValue 1 GiB
   */
  maxFileBytes: number;
  /**
   * Entries of a ZIP archive, folders and skipped files included: more refuse the archive (`input.zip_too_many_entries`).
   * @defaultValue 1,000
   */
  maxZipEntries: number;
  /**
   * Unpacked bytes of all the entries of a ZIP archive, as its directory declares them (the reader
   * checks each entry's real size against it): more refuse the archive (`input.zip_too_large`).
   * @defaultValue 2 GiB
   */
  maxZipBytes: number;
  /**
   * Bytes of a МИС JSON document, which is parsed whole (`input.too_large`).
   * @defaultValue 512 MiB
   */
  maxJsonBytes: number;
  /**
   * Nesting of arrays and objects in a МИС JSON document (the document itself is level 1, a record
   * level 3): deeper refuses the document before it is parsed (`input.json_too_deep`).
   * @defaultValue 32
   */
  maxJsonDepth: number;
}

export const DEFAULT_INPUT_LIMITS: Readonly<InputLimits> = Object.freeze({
  maxLineBytes: MiB,
  maxColumns: 200,
  maxFileBytes: 1024 * MiB,
  maxZipEntries: 1000,
  maxZipBytes: 2048 * MiB,
  maxJsonBytes: 512 * MiB,
  maxJsonDepth: 32,
});

/** The defaults with the given limits in place of theirs. */
export function inputLimits(overrides: Partial<InputLimits> = {}): InputLimits {
  const out: InputLimits = { ...DEFAULT_INPUT_LIMITS };
  for (const [key, value] of Object.entries(overrides) as [keyof InputLimits, number | undefined][]) if (value !== undefined) out[key] = value;
  return out;
}

/** A byte count as an administrator reads it: `1 МиБ`, `512 КиБ`, `2 ГиБ`, `900 байт`. */
export function formatBytes(bytes: number): string {
  if (bytes >= 1024 * MiB) return `${round(bytes / (1024 * MiB))} ГиБ`;
  if (bytes >= MiB) return `${round(bytes / MiB)} МиБ`;
  if (bytes >= 1024) return `${round(bytes / 1024)} КиБ`;
  return `${bytes} байт`;
}

const round = (n: number) => String(Math.round(n * 10) / 10).replace('.', ',');
