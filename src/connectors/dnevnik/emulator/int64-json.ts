const MARK = '\u0000i64:';

/**
 * JSON as the platform writes it: every `x` with an `x_str` twin becomes the exact 64-bit number
 * (which `JSON.parse` in JS rounds — that is the point: clients must read `x_str`).
 */
export function stringifyWithInt64(value: unknown): string {
  const text = JSON.stringify(value, function (this: Record<string, unknown>, key: string, v: unknown) {
    if (!key || key.endsWith('_str')) return v;
    const twin = this[`${key}_str`];
    if (typeof twin === 'string' && /^\d{1,20}$/.test(twin)) return MARK + twin;
    if (Array.isArray(twin) && Array.isArray(v)) return twin.map((t) => (typeof t === 'string' ? MARK + t : t));
    return v;
  });
  return text.replace(/"\\u0000i64:(\d+)"/g, '$1');
}

/** Parses JSON keeping integers longer than 15 digits as strings (so ids in bodies stay exact). */
export function parseWithInt64(text: string): unknown {
  return JSON.parse(text.replace(/([[:,]\s*)(-?\d{16,})(?=\s*[,\]}])/g, '$1"$2"'));
}
