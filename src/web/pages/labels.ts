import { ENTITY_LABELS, type EntityCollection } from '../../model';
import { RUN_STATUS_LABELS, type RunStatus } from '../../store';
import { html, type Html } from './html';

/** Display zone of instants (the pilot region); every date on the pages is in it. */
export const DEFAULT_TIME_ZONE = 'Asia/Yekaterinburg';

export const OP_LABELS: Record<string, string> = { create: 'создание', update: 'изменение', archive: 'архивация' };

export const RUN_KIND_LABELS: Record<string, string> = { sync: 'синхронизация', rollback: 'откат', retry: 'повтор', rollover: 'перевод на новый учебный год' };

export const TRIGGER_LABELS: Record<string, string> = { schedule: 'по расписанию', person: 'вручную', api: 'через API', demo: 'демонстрация' };

export const PLATFORM_LABELS: Record<string, string> = { dnevnik: 'Дневник.ру' };

/** States of a manual action (the checklist on the run page and the export). */
export const MANUAL_STATUS_LABELS: Record<string, string> = { open: 'открыто', done: 'выполнено', resolved: 'выполнено, видно на платформе' };

export const CHANGE_STATUS_LABELS: Record<string, string> = { pending: 'ожидает', applied: 'доставлено', failed: 'не доставлено', skipped: 'пропущено' };

/** Audit actions as a person reads them. */
export const AUDIT_ACTION_LABELS: Record<string, string> = {
  sign_in: 'вход через ЕСИА',
  sign_out: 'выход',
  'run.approved': 'одобрил задержанный запуск',
  'run.discarded': 'отклонил задержанный запуск',
  'run.applying': 'повторил доставку',
  'run.retry_change': 'повторил доставку одной записи',
  'run.rollback_started': 'начал откат запуска',
  'run.cancelled': 'отменил запуск',
  'link.pause': 'приостановил связь',
  'link.resume': 'возобновил связь',
  'link.run_now': 'запустил синхронизацию вручную',
  'export.download': 'выгрузил отчёт',
  'manual_actions.done': 'отметил ручные действия выполненными',
  'manual_actions.reopened': 'вернул ручные действия в работу',
  'role.assigned': 'назначена роль',
  'role.revoked': 'снята роль',
  'identity.linked': 'учётная запись ЕСИА связана с записью школы',
  'identity.link_held': 'связывание учётной записи ждёт оператора',
  'identity.link_confirmed': 'связывание подтверждено',
  'identity.link_rejected': 'связывание отклонено',
  'identity.merged': 'связал запись человека в МИС с записью на платформе',
  'access.refused': 'получил отказ в доступе',
  'run.retry': 'повторил доставку',
  'period.closed': 'закрыл отчётный период',
  'period.reopened': 'открыл отчётный период',
  'retention.purged': 'удалены устаревшие персональные данные запусков',
};

export const entityLabel = (entity: string): string => ENTITY_LABELS[entity as EntityCollection] ?? entity;
export const opLabel = (op: string): string => OP_LABELS[op] ?? op;
export const auditActionLabel = (action: string): string => AUDIT_ACTION_LABELS[action] ?? action;
export const platformLabel = (platform: string): string => PLATFORM_LABELS[platform] ?? platform;

export function statusBadge(status: string): Html {
  return html`<span class="st st-${status}" data-status="${status}">${RUN_STATUS_LABELS[status as RunStatus] ?? status}</span>`;
}

export function when(d: Date | string | null | undefined, timeZone = DEFAULT_TIME_ZONE): string {
  if (!d) return '—';
  return new Intl.DateTimeFormat('ru-RU', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(new Date(d));
}

/** `5 запусков`, `1 запуск`, `2 запуска`. */
export function plural(n: number, one: string, few: string, many: string): string {
  const mod10 = n % 10;
  const mod100 = n % 100;
  const word = mod10 === 1 && mod100 !== 11 ? one : mod10 >= 2 && mod10 <= 4 && (mod100 < 12 || mod100 > 14) ? few : many;
  return `${n.toLocaleString('ru-RU')} ${word}`;
}
