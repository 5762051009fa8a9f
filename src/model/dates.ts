import { z } from 'zod';

const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})$/;

/** True when `value` is a real calendar date written as `YYYY-MM-DD`. */
export function isIsoDate(value: string): boolean {
  const m = ISO_DATE.exec(value);
  if (!m) return false;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const date = new Date(Date.UTC(y, mo - 1, d));
  return date.getUTCFullYear() === y && date.getUTCMonth() === mo - 1 && date.getUTCDate() === d;
}

/** A calendar date `YYYY-MM-DD` (no time, no zone): what the school calls "the day". */
export const isoDateSchema = z.string().refine(isIsoDate, { message: 'ожидается дата в формате ГГГГ-ММ-ДД' });
export type IsoDate = z.infer<typeof isoDateSchema>;

/** An instant with an explicit offset (`2026-09-01T08:30:00+05:00` or `…Z`). */
export const instantSchema = z.iso.datetime({ offset: true, message: 'ожидается дата и время со смещением (ISO 8601)' });
export type Instant = z.infer<typeof instantSchema>;

/** Wall-clock time `HH:MM` (24 h). */
export const clockTimeSchema = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'ожидается время в формате ЧЧ:ММ');

/** True when `zone` is an IANA time zone this runtime knows (e.g. `Asia/Yekaterinburg`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return zone.includes('/') || zone === 'UTC';
  } catch {
    return false;
  }
}

export const timeZoneSchema = z.string().refine(isTimeZone, { message: 'неизвестный часовой пояс IANA (пример: Asia/Yekaterinburg)' });

const dateFormatters = new Map<string, Intl.DateTimeFormat>();

/** The school-local calendar date of an instant in the IANA zone `zone`. */
export function localDateOf(instant: Date, zone: string): IsoDate {
  let fmt = dateFormatters.get(zone);
  if (!fmt) {
    fmt = new Intl.DateTimeFormat('en-CA', { timeZone: zone, year: 'numeric', month: '2-digit', day: '2-digit' });
    dateFormatters.set(zone, fmt);
  }
  return fmt.format(instant);
}

/** Offset of `zone` from UTC at `instant`, in minutes (Asia/Yekaterinburg → 300). */
export function zoneOffsetMinutes(instant: Date, zone: string): number {
  const parts = new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  }).formatToParts(instant);
  const get = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  const asUtc = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'), get('second'));
  return Math.round((asUtc - Math.floor(instant.getTime() / 1000) * 1000) / 60000);
}

/**
 * Interprets an offset-less local timestamp (`2026-09-01T08:30:00`, as Дневник.ру returns lesson dates)
 * in the school's zone and returns the instant.
 */
export function instantFromLocal(local: string, zone: string): Date {
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?$/.exec(local);
  if (!m) throw new RangeError(`not a local timestamp: ${local}`);
  const ms = m[7] ? Number(m[7].slice(0, 3).padEnd(3, '0')) : 0;
  const guess = Date.UTC(+m[1], +m[2] - 1, +m[3], +(m[4] ?? 0), +(m[5] ?? 0), +(m[6] ?? 0), ms);
  const first = guess - zoneOffsetMinutes(new Date(guess), zone) * 60000;
  // A second pass settles instants near a DST change (Russia has none since 2014, other zones may).
  return new Date(guess - zoneOffsetMinutes(new Date(first), zone) * 60000);
}

/** Adds whole days to an ISO date. */
export function addDays(date: IsoDate, days: number): IsoDate {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** ISO day of week: Monday 1 … Sunday 7. */
export function isoDayOfWeek(date: IsoDate): number {
  const day = new Date(`${date}T00:00:00Z`).getUTCDay();
  return day === 0 ? 7 : day;
}

/** True when `date` lies within [start, end] (ISO strings compare lexicographically). */
export function dateWithin(date: IsoDate, start: IsoDate, end: IsoDate | null | undefined): boolean {
  return date >= start && (end == null || date <= end);
}
