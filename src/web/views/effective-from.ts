/**
 * When a change a platform accepted for later (a daily cut-off: СЭДиЖ / ЭПОС) takes effect, as the
 * school reads it: `DD.MM.YYYY HH:MM` in the school's zone. A receipt's day alone (`2026-11-23`)
 * takes effect at the start of that day (00:00); a date-time with an offset is shown in the zone.
 */
export function effectiveFromText(value: string, timeZone: string): string {
  const day = /^(\d{4})-(\d{2})-(\d{2})$/.exec(value);
  if (day) return `${day[3]}.${day[2]}.${day[1]} 00:00`;
  const at = new Date(value);
  if (Number.isNaN(at.getTime())) return value;
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat('en-GB', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' })
      .formatToParts(at)
      .map((p) => [p.type, p.value]),
  );
  return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
}

/** True while `value` (a day, or a date-time) is still ahead of `now` in the school's zone. */
export function notYetInEffect(value: string, now: Date, timeZone: string): boolean {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return value > new Intl.DateTimeFormat('en-CA', { timeZone }).format(now);
  const at = new Date(value);
  return Number.isNaN(at.getTime()) ? true : at.getTime() > now.getTime();
}
