import { localDateOf, zoneOffsetMinutes, type IsoDate } from '../model';
import type { DateWindow } from './guard-policy';
import { russianDate } from './russian-labels';

/** School-local date and `HH:MM` time of an instant. */
export function localDateTime(now: Date, timeZone: string): { date: IsoDate; time: string } {
  const shifted = new Date(now.getTime() + zoneOffsetMinutes(now, timeZone) * 60000);
  return { date: localDateOf(now, timeZone), time: shifted.toISOString().slice(11, 16) };
}

function within(value: string, from: string, to: string): boolean {
  return from <= to ? value >= from && value <= to : value >= from || value <= to;
}

/** Whether the window holds at the school-local `date` and `time`. */
export function windowActive(window: DateWindow, date: IsoDate, time: string): boolean {
  const yearly = window.from.length === 5;
  const day = yearly ? date.slice(5) : date;
  if (!within(day, window.from, window.to)) return false;
  if (window.timeFrom && window.timeTo) {
    // A time range that wraps midnight (22:00–06:00) is one night, not an empty range.
    return window.timeFrom <= window.timeTo ? time >= window.timeFrom && time < window.timeTo : time >= window.timeFrom || time < window.timeTo;
  }
  return true;
}

/** `20.08–15.09`, `01.06.2027–31.08.2027`, with the times when set. */
export function describeWindow(window: DateWindow): string {
  const d = (v: string) => (v.length === 5 ? `${v.slice(3)}.${v.slice(0, 2)}` : russianDate(v));
  const times = window.timeFrom && window.timeTo ? `, ${window.timeFrom}–${window.timeTo}` : '';
  return `${d(window.from)}–${d(window.to)}${times}${window.note ? ` (${window.note})` : ''}`;
}
