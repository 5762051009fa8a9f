/**
 * The `metadata.ejsync` extension column ejsync writes into every file of its packages: a JSON
 * object of canonical fields OneRoster has no column for, per collection the row becomes
 * (`{"works":{"subjectId":"subj-eng","lessonId":"l-1","dueDate":null}}`). `null` says the field
 * is absent (where the standard column had to be filled). The reader lays these fields over
 * what it mapped from the standard columns, so that ejsync → OneRoster → ejsync loses nothing;
 * other systems ignore the column (the binding allows `metadata.*`). See docs/formats/oneroster.md.
 */
export const EJSYNC_EXTENSION = 'metadata.ejsync';

/** Canonical fields per collection carried by one row. */
export type ExtensionFields = Record<string, Record<string, unknown>>;

/** The cell for a row: only fields that are set or explicitly absent (`null`); blank when none. */
export function extensionCell(fields: ExtensionFields): string | undefined {
  const out: ExtensionFields = {};
  for (const [collection, record] of Object.entries(fields)) {
    const kept = Object.fromEntries(Object.entries(record).filter(([, v]) => v !== undefined));
    if (Object.keys(kept).length) out[collection] = kept;
  }
  return Object.keys(out).length ? JSON.stringify(out) : undefined;
}

/** The fields a row carries for `collection`, or none when the cell is blank or not a JSON object. */
export function extensionOf(row: { values: Record<string, string | undefined> } | undefined, collection: string): Record<string, unknown> | undefined {
  const cell = row?.values[EJSYNC_EXTENSION];
  if (!cell) return undefined;
  try {
    const parsed: unknown = JSON.parse(cell);
    const fields = parsed && typeof parsed === 'object' ? (parsed as Record<string, unknown>)[collection] : undefined;
    return fields && typeof fields === 'object' && !Array.isArray(fields) ? (fields as Record<string, unknown>) : undefined;
  } catch {
    return undefined;
  }
}

/** Why a row's `metadata.ejsync` cell cannot be read (not a JSON object), or null when it can or is blank. */
export function extensionProblem(row: { values: Record<string, string | undefined> }): string | null {
  const cell = row.values[EJSYNC_EXTENSION];
  if (!cell) return null;
  try {
    const parsed: unknown = JSON.parse(cell);
    return parsed && typeof parsed === 'object' && !Array.isArray(parsed) ? null : 'ожидается объект JSON';
  } catch (error) {
    return `не JSON: ${(error as Error).message}`;
  }
}

/** Lays a row's extension fields over a mapped record: values replace, `null` removes. */
export function applyExtension(record: Record<string, unknown>, fields: Record<string, unknown> | undefined): void {
  if (!fields) return;
  for (const [key, value] of Object.entries(fields)) {
    if (key === 'sourceId') continue;
    if (value === null) delete record[key];
    else record[key] = value;
  }
}
