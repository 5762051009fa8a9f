import { LosslessNumber, parse, stringify } from 'lossless-json';

const INTEGER = /^-?\d+$/;
const DIGITS = /^\d{1,20}$/;

/**
 * Parses the platform's JSON without losing a digit: an integer beyond 2^53 (every Дневник.ру id)
 * stays a digit string, where `JSON.parse` would round it to a neighbouring id; every other number
 * is a JS number. Throws `SyntaxError` on text that is not JSON.
 */
export function parseWireJson(text: string): unknown {
  return parse(text, null, (digits) => (INTEGER.test(digits) && !Number.isSafeInteger(Number(digits)) ? digits : Number(digits)));
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof LosslessNumber);

/**
 * Every id field `x` whose twin `x_str` holds digits takes the twin's exact value as a JSON number
 * (arrays too: `teachers` from `teachers_str`), so that a body or an emulated answer carries the
 * 64-bit id the platform reads, not the rounded double a JS number holds. Twins are kept.
 */
export function exactIds(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(exactIds);
  if (!isRecord(value)) return value;
  const out: Record<string, unknown> = {};
  for (const [key, v] of Object.entries(value)) {
    const twin = key.endsWith('_str') ? undefined : value[`${key}_str`];
    if (typeof twin === 'string' && DIGITS.test(twin)) out[key] = new LosslessNumber(twin);
    else if (Array.isArray(twin) && Array.isArray(v) && twin.length === v.length && twin.every((t) => typeof t === 'string' && DIGITS.test(t))) out[key] = twin.map((t) => new LosslessNumber(t as string));
    else out[key] = exactIds(v);
  }
  return out;
}

/** JSON text with exact 64-bit ids (see {@link exactIds}); `undefined` properties are left out as `JSON.stringify` does. */
export function stringifyWireJson(value: unknown): string {
  return stringify(exactIds(value)) ?? 'null';
}

export { LosslessNumber };
