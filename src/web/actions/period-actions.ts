import type { LinkConfig } from '../../config/link-config';
import type { ReportingPeriod } from '../../model';
import { readLinkSource } from '../../queue/intake/link-source';
import type { Actor, LinkRecord } from '../../store';
import type { PeriodLock } from '../../store/repositories/period-locks-repository';
import type { DashboardBackend } from '../dashboard-backend';
import { DashboardError } from '../dashboard-error';

export const PERIOD_ACTION_NAMES = ['close', 'reopen'] as const;
export type PeriodActionName = (typeof PERIOD_ACTION_NAMES)[number];

export function isPeriodActionName(name: string): name is PeriodActionName {
  return (PERIOD_ACTION_NAMES as readonly string[]).includes(name);
}

/** One reporting period of a link as the dashboard shows it: from the export, and its lock in ejsync. */
export interface LinkPeriodRow {
  periodId: string;
  /** The export's period; null for a lock whose period is no longer in the export. */
  period: ReportingPeriod | null;
  /** Closed in ejsync (by whom, when, why); null when not. */
  lock: PeriodLock | null;
}

/** A link's periods: the export's (the newest kept export, else `source.path`) with their ejsync locks. */
export interface LinkPeriods {
  rows: LinkPeriodRow[];
  /** The export could not be read: only the locks are listed (a period can still be reopened). */
  sourceUnreadable: boolean;
}

export async function linkPeriods(backend: DashboardBackend, link: LinkRecord): Promise<LinkPeriods> {
  const locks = await backend.store.periodLocks.forLink(link.id);
  const read = await readLinkSource(backend.store, link.config as LinkConfig).catch(() => null);
  const periods = read?.snapshot?.periods ?? [];
  const byId = new Map(locks.map((l) => [l.periodId, l]));
  const rows: LinkPeriodRow[] = periods.map((p) => ({ periodId: p.sourceId, period: p, lock: byId.get(p.sourceId) ?? null }));
  const known = new Set(periods.map((p) => p.sourceId));
  for (const lock of locks) if (!known.has(lock.periodId)) rows.push({ periodId: lock.periodId, period: null, lock });
  return { rows, sourceUnreadable: !read?.snapshot };
}

export interface PeriodActionSpec {
  label: string;
  question(row: LinkPeriodRow): string;
  consequence: string;
  danger?: boolean;
  /** Why it cannot be done now (Russian), or null. */
  refusal(row: LinkPeriodRow): string | null;
}

export const periodName = (row: LinkPeriodRow) => (row.period ? `«${row.period.name}»` : `«${row.periodId}»`);

export const PERIOD_ACTIONS: Record<PeriodActionName, PeriodActionSpec> = {
  close: {
    label: 'Закрыть период',
    question: (row) => `Закрыть период ${periodName(row)} в ejsync?`,
    consequence: 'Отметки и посещаемость этого периода больше не будут передаваться на платформу: изменения в нём задерживаются и показываются в запуске как «задержано до решения». Период можно открыть снова.',
    danger: true,
    refusal: (row) => (row.lock ? 'Период уже закрыт в ejsync.' : row.period ? null : 'Такого отчётного периода нет в выгрузке МИС связи.'),
  },
  reopen: {
    label: 'Открыть период',
    question: (row) => `Открыть период ${periodName(row)}, закрытый в ejsync?`,
    consequence: 'Изменения отметок и посещаемости в этом периоде снова будут передаваться со следующего запуска (если период не закрыт в выгрузке МИС).',
    refusal: (row) => (row.lock ? null : 'Период не закрыт в ejsync.'),
  },
};

/** The row of one period, or a 404 when neither the export nor a lock knows it. */
export async function linkPeriod(backend: DashboardBackend, link: LinkRecord, periodId: string): Promise<LinkPeriodRow> {
  const row = (await linkPeriods(backend, link)).rows.find((r) => r.periodId === periodId);
  if (!row) throw new DashboardError(404, 'period.unknown', 'Такого отчётного периода нет в выгрузке МИС связи', 'Откройте список периодов связи и выберите период оттуда.');
  return row;
}

/**
 * Closes or reopens a period in ejsync as the signed-in person (the store audits it in the same
 * transaction, with the ЕСИА identity). A reason is required either way: it is the order's number.
 */
export async function performPeriodAction(backend: DashboardBackend, link: LinkRecord, row: LinkPeriodRow, action: PeriodActionName, actor: Actor, reason: string | undefined): Promise<{ changed: boolean; message: string }> {
  const why = reason?.trim();
  if (!why) throw new DashboardError(400, 'reason_required', 'Укажите основание (например, «приказ № 45 от 28.10.2026»): оно будет записано в журнал действий');
  const refused = PERIOD_ACTIONS[action].refusal(row);
  if (refused) throw new DashboardError(409, 'action_unavailable', refused);
  const name = periodName(row);
  if (action === 'close') {
    const changed = await backend.store.periodLocks.close(link.id, row.periodId, why.slice(0, 500), actor, link.schoolId);
    return { changed, message: changed ? `Период ${name} закрыт в ejsync: отметки и посещаемость в нём больше не передаются.` : `Период ${name} уже закрыт в ejsync.` };
  }
  const changed = await backend.store.periodLocks.reopen(link.id, row.periodId, why.slice(0, 500), actor, link.schoolId);
  if (!changed) return { changed, message: `Период ${name} не был закрыт в ejsync.` };
  const stillClosed = row.period?.closed ? ' Внимание: в выгрузке МИС он по-прежнему закрыт — изменения в нём не передаются, пока его не откроют в МИС.' : '';
  return { changed, message: `Период ${name} открыт в ejsync.${stillClosed}` };
}
