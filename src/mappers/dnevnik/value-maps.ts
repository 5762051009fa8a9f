import type { AttendanceStatus, PeriodKind, WorkType } from '../../model';

/**
 * How canonical values meet the platform's, from `config/platforms/dnevnik.json`. Both directions
 * are derived from the one table, so they cannot drift apart.
 */
export interface DnevnikValueMaps {
  attendanceStatuses: Record<AttendanceStatus, string>;
  periodTypes: Record<PeriodKind, string>;
  /** Non-numeric canonical mark values → platform values (`зач` → `З`); `1`–`5` pass as they are into a five-point system. */
  markValues: Record<string, string>;
  /** Per mark system (`mark10`, any case): canonical mark → the system's value, over `markValues`. @defaultValue none */
  markSystemValues?: Record<string, Record<string, string>>;
  /** Canonical work type → title of the school's work type on the platform. */
  workTypes: Record<WorkType, string>;
}

export function invert<K extends string>(table: Record<K, string>): Map<string, K> {
  const out = new Map<string, K>();
  for (const [k, v] of Object.entries(table) as [K, string][]) if (!out.has(v.toLocaleLowerCase('ru-RU'))) out.set(v.toLocaleLowerCase('ru-RU'), k);
  return out;
}
