import { addDays, isoDayOfWeek, localDateOf } from '../../../model';

/** The platform's daily cut-off: a change accepted after `time` (school-local) takes effect the next day. */
export interface Cutoff {
  /** `14:00`. */
  time: string;
  /** The next day is the next working day (Monday–Friday): a change on Friday after the cut-off or at the weekend takes effect on Monday. */
  weekdaysOnly: boolean;
}

/** `HH:MM` of an instant in a zone. */
function localTime(instant: Date, zone: string): string {
  const parts = new Intl.DateTimeFormat('en-GB', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(instant);
  const get = (t: string) => parts.find((p) => p.type === t)?.value ?? '00';
  return `${get('hour')}:${get('minute')}`;
}

/** Today (school-local) and the day a change accepted at `instant` takes effect. */
export function effectiveDayOf(instant: Date, zone: string, cutoff: Cutoff): { today: string; effectiveFrom: string } {
  const today = localDateOf(instant, zone);
  const workday = (d: string) => !cutoff.weekdaysOnly || isoDayOfWeek(d) <= 5;
  let day = today;
  if (!workday(day) || localTime(instant, zone) >= cutoff.time) {
    day = addDays(day, 1);
    while (!workday(day)) day = addDays(day, 1);
  }
  return { today, effectiveFrom: day };
}
