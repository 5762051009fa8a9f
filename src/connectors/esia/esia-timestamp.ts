import { zoneOffsetMinutes } from '../../model';

/**
 * ЕСИА's `timestamp`: `yyyy.MM.dd HH:mm:ss ±hhmm` in the given zone (e.g. `2026.09.01 08:00:00 +0500`).
 * ЕСИА refuses requests whose time is off (ESIA-007015), so it is always the current instant.
 */
export function esiaTimestamp(instant: Date, timeZone = 'Europe/Moscow'): string {
  const offset = zoneOffsetMinutes(instant, timeZone);
  const local = new Date(instant.getTime() + offset * 60_000);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const sign = offset >= 0 ? '+' : '-';
  const abs = Math.abs(offset);
  return (
    `${p(local.getUTCFullYear(), 4)}.${p(local.getUTCMonth() + 1)}.${p(local.getUTCDate())} ` +
    `${p(local.getUTCHours())}:${p(local.getUTCMinutes())}:${p(local.getUTCSeconds())} ${sign}${p(Math.floor(abs / 60))}${p(abs % 60)}`
  );
}

/** Parses an ЕСИА timestamp back into an instant, or null when malformed. */
export function parseEsiaTimestamp(value: string): Date | null {
  const m = /^(\d{4})\.(\d{2})\.(\d{2}) (\d{2}):(\d{2}):(\d{2}) ([+-])(\d{2})(\d{2})$/.exec(value);
  if (!m) return null;
  const offset = (m[7] === '-' ? -1 : 1) * (Number(m[8]) * 60 + Number(m[9]));
  const utc = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) - offset * 60_000;
  return Number.isNaN(utc) ? null : new Date(utc);
}
