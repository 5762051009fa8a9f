/** `2026-09-07` → `07.09.2026`: how dates read in the Russian details of a finding. */
export function ruDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

/** `с 01.09.2026 по 31.05.2027`, or `с 01.09.2026` (без даты окончания) for an open range. */
export function ruRange(start: string, end: string | undefined): string {
  return end == null ? `с ${ruDate(start)} (без даты окончания)` : `с ${ruDate(start)} по ${ruDate(end)}`;
}

/** At most `limit` ids joined by commas, with `и ещё N` for the rest. */
export function idList(ids: readonly string[], limit = 10): string {
  const head = ids.slice(0, limit).join(', ');
  return ids.length > limit ? `${head} и ещё ${ids.length - limit}` : head;
}
