/** How many archives of each kind to keep (grandfather-father-son). */
export interface RetentionPolicy {
  /** Newest archive of each of the last N ISO weeks (this week included). @defaultValue 8 */
  weekly: number;
  /** Newest archive of each of the last N months. @defaultValue 12 */
  monthly: number;
  /** Newest archive of each of the last N years (the regulations keep the journal 5 years). @defaultValue 5 */
  yearly: number;
}

export const DEFAULT_RETENTION: RetentionPolicy = { weekly: 8, monthly: 12, yearly: 5 };

/** Monday of the ISO week of a day (`YYYY-MM-DD`). */
function weekOf(day: string): string {
  const d = new Date(`${day}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - ((d.getUTCDay() + 6) % 7));
  return d.toISOString().slice(0, 10);
}

const monthsBetween = (a: string, b: string) => (Number(b.slice(0, 4)) - Number(a.slice(0, 4))) * 12 + Number(b.slice(5, 7)) - Number(a.slice(5, 7));
const weeksBetween = (a: string, b: string) => Math.round((Date.parse(`${weekOf(b)}T00:00:00Z`) - Date.parse(`${weekOf(a)}T00:00:00Z`)) / (7 * 86_400_000));

/**
 * Which archives a retention policy lets go: everything that is not the newest archive of one of
 * the last `weekly` weeks, `monthly` months or `yearly` years before `today`. The newest archive
 * overall is always kept, and so is anything dated after today (a clock set wrong must not delete).
 * Pure; `day` is the archive's creation day, `YYYY-MM-DD`.
 */
export function archivesToDelete<A extends { name: string; day: string }>(archives: readonly A[], today: string, policy: RetentionPolicy = DEFAULT_RETENTION): A[] {
  const newestFirst = [...archives].sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
  const keep = new Set<string>();
  if (newestFirst[0]) keep.add(newestFirst[0].name);
  const seen = { week: new Set<string>(), month: new Set<string>(), year: new Set<string>() };
  for (const a of newestFirst) {
    if (a.day > today) {
      keep.add(a.name);
      continue;
    }
    const week = weekOf(a.day);
    const month = a.day.slice(0, 7);
    const year = a.day.slice(0, 4);
    if (weeksBetween(a.day, today) < policy.weekly && !seen.week.has(week)) keep.add(a.name);
    if (monthsBetween(a.day, today) < policy.monthly && !seen.month.has(month)) keep.add(a.name);
    if (Number(today.slice(0, 4)) - Number(year) < policy.yearly && !seen.year.has(year)) keep.add(a.name);
    seen.week.add(week);
    seen.month.add(month);
    seen.year.add(year);
  }
  return newestFirst.filter((a) => !keep.has(a.name));
}
