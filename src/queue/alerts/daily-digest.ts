import { localDateOf } from '../../model';
import { RUN_STATUS_LABELS, type RunStatus } from '../../store';
import { ALERT_KIND_LABELS, type AlertMessage } from './alert-types';

/** What the digest says of one link (gathered by `collectDigestStates`). */
export interface DigestLinkState {
  id: string;
  name: string;
  paused: boolean;
  /** The newest run of the link, if any. */
  lastRun: { id: string; status: RunStatus; errorCode: string | null; at: Date } | null;
  /** Runs in the period that ended `failed` or `partial`. */
  failedRuns: number;
  /** Failed delivery attempts in the period. */
  failedDeliveries: number;
  /** Runs waiting for a person's decision (any age). */
  heldRuns: number;
  /** Failed or partial sync runs in a row, newest first. */
  consecutiveFailures: number;
}

export interface DigestOptions {
  /** When the digest is made; its local date names it (one digest per local day). */
  now: Date;
  /** The operators' IANA zone (times and the date are shown in it). */
  timeZone: string;
  /** What the period covers, in hours before `now`. @defaultValue 24 */
  periodHours?: number;
  /** Base URL of the dashboard. */
  dashboardUrl?: string;
}

const FAILED: readonly RunStatus[] = ['failed', 'partial'];

/** `25.11.2026 08:00` in the zone. */
function localDateTime(at: Date, timeZone: string): string {
  const parts = Object.fromEntries(new Intl.DateTimeFormat('ru-RU', { timeZone, day: '2-digit', month: '2-digit', year: 'numeric', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(at).map((p) => [p.type, p.value]));
  return `${parts.day}.${parts.month}.${parts.year} ${parts.hour}:${parts.minute}`;
}

/** Russian plural: 1 запуск, 2 запуска, 5 запусков. */
function plural(n: number, one: string, few: string, many: string): string {
  const m10 = n % 10;
  const m100 = n % 100;
  const word = m10 === 1 && m100 !== 11 ? one : m10 >= 2 && m10 <= 4 && (m100 < 12 || m100 > 14) ? few : many;
  return `${n} ${word}`;
}

/** Needs a person: failing in a row, failed lately, waiting for a decision. Higher first. */
function severity(l: DigestLinkState): number {
  if (l.consecutiveFailures >= 2) return 4;
  if (l.lastRun && FAILED.includes(l.lastRun.status)) return 3;
  if (l.heldRuns > 0) return 2;
  if (l.failedRuns > 0 || l.failedDeliveries > 0) return 1;
  return 0;
}

function linkLine(l: DigestLinkState, timeZone: string): string {
  const head = `• ${l.name} (${l.id})${l.paused ? ', связь приостановлена' : ''}: `;
  const facts: string[] = [];
  if (!l.lastRun) facts.push('запусков ещё не было');
  else facts.push(`последний запуск ${localDateTime(l.lastRun.at, timeZone)} — ${RUN_STATUS_LABELS[l.lastRun.status]}${l.lastRun.errorCode && l.lastRun.status !== 'succeeded' ? ` (${l.lastRun.errorCode})` : ''}`);
  if (l.consecutiveFailures >= 2) facts.push(`не проходит ${plural(l.consecutiveFailures, 'раз', 'раза', 'раз')} подряд`);
  if (l.failedRuns > 0) facts.push(`неудачных запусков за период: ${l.failedRuns}`);
  if (l.failedDeliveries > 0) facts.push(`ошибок доставки за период: ${l.failedDeliveries}`);
  if (l.heldRuns > 0) facts.push(`ждут решения: ${plural(l.heldRuns, 'запуск', 'запуска', 'запусков')}`);
  return head + facts.join('; ') + '.';
}

/**
 * The daily digest for the operators (pure): one line per link, those needing a person first,
 * with the last run's status, failed runs and delivery failures in the period, runs waiting for a
 * decision and failures in a row. Its id is the local date, so a day gets one digest however often
 * the scheduler fires or retries.
 */
export function buildDailyDigest(links: readonly DigestLinkState[], options: DigestOptions): AlertMessage {
  const { now, timeZone } = options;
  const date = localDateOf(now, timeZone);
  const [y, m, d] = date.split('-');
  const sorted = [...links].sort((a, b) => severity(b) - severity(a) || a.name.localeCompare(b.name, 'ru'));
  const failing = links.filter((l) => severity(l) >= 3).length;
  const held = links.filter((l) => l.heldRuns > 0).length;
  const clean = links.filter((l) => severity(l) === 0 && l.lastRun !== null).length;
  const url = options.dashboardUrl?.replace(/\/+$/, '');
  const lines = [
    `Сводка ejsync за ${options.periodHours ?? 24} ч до ${localDateTime(now, timeZone)} (${timeZone}).`,
    links.length
      ? `Связей: ${links.length}; без замечаний: ${clean}; с ошибками: ${failing}; ждут решения: ${held}.`
      : 'Связей пока нет: зарегистрируйте связь командой «ejsync sync --link ФАЙЛ».',
    ...(sorted.length ? ['', ...sorted.map((l) => linkLine(l, timeZone))] : []),
  ];
  return {
    id: `daily_digest.${date}`,
    kind: 'daily_digest',
    subject: `${ALERT_KIND_LABELS.daily_digest} за ${d}.${m}.${y}${failing ? ` — с ошибками: ${failing}` : ''}`,
    text: lines.join('\n'),
    ...(url ? { url } : {}),
    at: now.toISOString(),
  };
}
