/** A platform id as text: 1–20 decimal digits (an Int64 the platform never makes negative). */
export const ID_DIGITS = /^\d{1,20}$/;

/**
 * The exact digits of one id value as the lossless parser left it: a digit string (an id beyond
 * 2^53, or a `*_str` twin) or a safe integer. Null for anything else — a rounded double never
 * becomes an id.
 */
export function idText(value: unknown): string | null {
  if (typeof value === 'string') return ID_DIGITS.test(value) ? value : null;
  if (typeof value === 'number' && Number.isSafeInteger(value) && value >= 0) return String(value);
  return null;
}

/**
 * THE way ejsync reads an id field `field` of a platform record: from its `field_str` twin when
 * the platform sent one, else from the number itself (read losslessly, see `parseWireJson`).
 * Published models carry twins for some fields only (a lesson's `group`, a work's `workType` and
 * `subjectId` have none), so no reader may depend on them. Null when neither holds an id.
 */
export function readId(record: Readonly<Record<string, unknown>>, field: string): string | null {
  return idText(record[`${field}_str`]) ?? idText(record[field]);
}

/** {@link readId} for id arrays (`teachers` / `teachers_str`, `parentIds` / `parentIds_str`). Null when neither is a list of ids. */
export function readIds(record: Readonly<Record<string, unknown>>, field: string): string[] | null {
  for (const candidate of [record[`${field}_str`], record[field]]) {
    if (!Array.isArray(candidate)) continue;
    const ids = candidate.map(idText);
    if (ids.every((id): id is string => id !== null)) return ids;
  }
  return null;
}
