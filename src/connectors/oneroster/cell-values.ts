import { isIsoDate, localDateOf, type IsoDate } from '../../model';
import type { OneRosterColumn } from './file-specs';

const DATE_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?(?:Z|[+-]\d{2}:?\d{2})$/;

function isDateTime(v: string): boolean {
  return DATE_TIME.test(v) && isIsoDate(v.slice(0, 10)) && !Number.isNaN(Date.parse(v));
}

/** Splits a OneRoster list cell (`"a,b,c"`) into its non-empty trimmed items. */
export function parseList(raw: string | undefined): string[] {
  if (!raw) return [];
  return raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
}

/**
 * Checks one non-empty cell against its column type; returns a Russian reason or null.
 * Enumerations accept `ext:…` extension values as the binding allows.
 */
export function checkCell(column: OneRosterColumn, v: string): string | null {
  switch (column.type) {
    case 'id':
    case 'text':
    case 'list':
    case 'idList':
      return null;
    case 'date':
      return isIsoDate(v) ? null : `ожидается дата ГГГГ-ММ-ДД, получено «${v}»`;
    case 'dateTime':
      return isDateTime(v) ? null : `ожидается дата и время ISO 8601 со смещением, получено «${v}»`;
    case 'dateOrDateTime':
      return isIsoDate(v) || isDateTime(v) ? null : `ожидается дата ГГГГ-ММ-ДД или дата и время ISO 8601, получено «${v}»`;
    case 'boolean':
      return /^(true|false)$/i.test(v) ? null : `ожидается true или false, получено «${v}»`;
    case 'float':
      return v !== '' && Number.isFinite(Number(v)) ? null : `ожидается число, получено «${v}»`;
    case 'year':
      return /^\d{4}$/.test(v) ? null : `ожидается год из четырёх цифр, получено «${v}»`;
    case 'enum':
      return column.values!.includes(v) || /^ext:\S+$/.test(v) ? null : `допустимо: ${column.values!.join(', ')}; получено «${v}»`;
  }
}

/**
 * The school-local day of a OneRoster date or date-time: a date is taken as written, a
 * date-time with an offset is converted into the school's zone.
 */
export function toLocalDate(value: string, timeZone: string): IsoDate {
  if (isIsoDate(value)) return value;
  return localDateOf(new Date(value), timeZone);
}

export function parseBoolean(raw: string | undefined): boolean | undefined {
  if (!raw) return undefined;
  return raw.toLowerCase() === 'true';
}

/**
 * Grade codes of the binding (CEDS: `KG`, `01` … `13`) that are Russian grades 1–11, as numbers.
 * Other codes are dropped.
 */
export function parseGrades(raw: string | undefined): number[] {
  const out = new Set<number>();
  for (const item of parseList(raw)) {
    if (!/^\d{1,2}$/.test(item)) continue;
    const g = Number(item);
    if (g >= 1 && g <= 11) out.add(g);
  }
  return [...out].sort((a, b) => a - b);
}

/** `{type:value}` pairs of a `userIds` cell, e.g. `{snils:112-233-445 95},{esia:1000123}`. */
export function parseUserIds(raw: string | undefined): { type: string; value: string }[] {
  const out: { type: string; value: string }[] = [];
  if (!raw) return out;
  for (const m of raw.matchAll(/\{\s*([^:{}]+?)\s*:\s*([^{}]*?)\s*\}/g)) out.push({ type: m[1], value: m[2] });
  return out;
}

/** `{lhs:rhs}` pairs of a `scoreScaleValue` cell, or null when the cell is not a list of pairs. */
export function parseScoreScaleValue(raw: string): { lhs: string; rhs: string }[] | null {
  const out: { lhs: string; rhs: string }[] = [];
  const rest = raw.replace(/\{\s*([^:{}]+?)\s*:\s*([^{}]*?)\s*\}/g, (_m, lhs: string, rhs: string) => {
    out.push({ lhs, rhs });
    return '';
  });
  if (rest.replace(/[,\s]/g, '') !== '' || out.length === 0) return null;
  return out;
}
