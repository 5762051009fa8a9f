import { normalizeMarkValue, normalizeSnils, type EntityCollection } from '../model';
import type { AnyRecord } from './references';

/**
 * The value a field compares by: trimmed strings with single spaces, folded mark values and
 * СНИЛС, sorted arrays; empty strings, null and undefined all mean "no value".
 */
export function comparableValue(field: string, value: unknown): string | number | boolean | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') {
    const v = value.replace(/\s+/g, ' ').trim();
    if (v === '') return undefined;
    if (field === 'value') return normalizeMarkValue(v) ?? v;
    if (field === 'snils') return normalizeSnils(v) ?? v;
    return v;
  }
  if (Array.isArray(value)) {
    const parts = value.map((x) => String(comparableValue(field, x) ?? '')).sort();
    return parts.length ? `[${parts.join(',')}]` : undefined;
  }
  if (typeof value === 'number' || typeof value === 'boolean') return value;
  return JSON.stringify(value);
}

/** Fields of `entity` that differ between `a` and `b` among `fields`, in that order. */
export function differingFields(a: AnyRecord, b: AnyRecord, fields: readonly string[]): string[] {
  const out: string[] = [];
  for (const f of fields) if (comparableValue(f, a[f]) !== comparableValue(f, b[f])) out.push(f);
  return out;
}

/** Per collection, the fields the platform can hold and so the only ones worth comparing. */
export type ComparableFields = Partial<Record<EntityCollection, readonly string[]>>;
