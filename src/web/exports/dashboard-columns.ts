import { MANUAL_ACTION_COLUMNS, type ManualActionRow, type TableColumn } from '../../export';
import type { OpenFailure } from '../../store/repositories/dashboard-queries';
import { auditActionLabel, CHANGE_STATUS_LABELS, entityLabel, MANUAL_STATUS_LABELS, opLabel } from '../pages/labels';
import type { FailedChange } from '../views/run-model';
import { fieldsLine, type ReadableChange } from '../views/readable-change';
import { auditObjectText } from '../views/audit-details';

/** Dates in reports: `21.11.2026 10:00` in the display zone. */
export function reportTime(d: Date | null | undefined, timeZone: string): string {
  if (!d) return '';
  return new Intl.DateTimeFormat('ru-RU', { timeZone, dateStyle: 'short', timeStyle: 'short' }).format(d);
}

/** What failed and what to do, then which record: the columns both failure tables begin with. */
function failureColumns<R extends { code: string | null; message: string; hint: string; entity: string; op: string; sourceId: string }>(): TableColumn<R>[] {
  return [
    { header: 'Код ошибки', value: (r) => r.code, width: 28 },
    { header: 'Что случилось', value: (r) => r.message, width: 50 },
    { header: 'Что делать', value: (r) => r.hint, width: 60 },
    { header: 'Вид записей', value: (r) => entityLabel(r.entity), width: 22 },
    { header: 'Действие', value: (r) => opLabel(r.op), width: 12 },
    { header: 'Идентификатор в МИС', value: (r) => r.sourceId, width: 24 },
  ];
}

/** Whom a change concerns and what it changes, in school terms: the columns every change table has. */
function readableColumns<R extends { readable: ReadableChange | null }>(): TableColumn<R>[] {
  return [
    { header: 'Кого касается', value: (r) => r.readable?.who ?? '', width: 36 },
    { header: 'Класс, предмет, дата, работа', value: (r) => r.readable?.what ?? '', width: 50 },
    { header: 'Было → станет', value: (r) => (r.readable ? fieldsLine(r.readable.fields) : ''), width: 70 },
  ];
}

export type RunFailureRow = FailedChange & { code: string; message: string; hint: string };

export function runFailureColumns(timeZone: string): TableColumn<RunFailureRow>[] {
  return [
    ...failureColumns<RunFailureRow>(),
    ...readableColumns<RunFailureRow>(),
    { header: 'Как исправить', value: (r) => r.fixes.map((f) => f.title).join('\n'), width: 40 },
    { header: 'Идентификатор на платформе', value: (r) => r.targetId ?? '', width: 24 },
    { header: 'Попыток', value: (r) => r.attempts, width: 9 },
    { header: 'Последний ответ (HTTP)', value: (r) => r.last?.status ?? '', width: 12 },
    { header: 'Последняя попытка', value: (r) => reportTime(r.last?.at, timeZone), width: 18 },
    { header: 'Ответ платформы', value: (r) => r.platformAnswer ?? '', width: 60 },
  ];
}

export type OpenFailureRow = OpenFailure & { linkName: string; schoolName: string; message: string; hint: string; readable: ReadableChange | null };

export function openFailureColumns(timeZone: string): TableColumn<OpenFailureRow>[] {
  return [
    { header: 'Школа', value: (r) => r.schoolName, width: 30 },
    { header: 'Связь', value: (r) => r.linkName, width: 36 },
    { header: 'Запуск', value: (r) => r.runId, width: 20 },
    { header: 'Дата запуска', value: (r) => reportTime(r.runCreatedAt, timeZone), width: 18 },
    ...failureColumns<OpenFailureRow>(),
    ...readableColumns<OpenFailureRow>(),
    { header: 'Попыток', value: (r) => r.attempts, width: 9 },
    { header: 'Состояние', value: () => CHANGE_STATUS_LABELS.failed, width: 14 },
  ];
}

export type RunManualActionRow = ManualActionRow & { status: string; doneBy: string | null; doneAt: Date | null };

/** The manual actions checklist of a run: the plan's columns, then whether each is done, by whom, when. */
export function runManualActionColumns(timeZone: string): TableColumn<RunManualActionRow>[] {
  return [
    ...MANUAL_ACTION_COLUMNS,
    { header: 'Состояние', value: (r) => MANUAL_STATUS_LABELS[r.status] ?? r.status, width: 12 },
    { header: 'Кто отметил выполненным', value: (r) => r.doneBy ?? '', width: 32 },
    { header: 'Когда отмечено', value: (r) => reportTime(r.doneAt, timeZone), width: 18 },
  ];
}

/** A run's changes as the run report has them: in school terms, then the ids for whoever traces them. */
export const RUN_CHANGE_COLUMNS: readonly TableColumn<ReadableChange>[] = [
  { header: 'Вид записей', value: (r) => r.entityLabel, width: 24 },
  { header: 'Действие', value: (r) => r.opLabel, width: 14 },
  { header: 'Кого касается', value: (r) => r.who ?? '', width: 36 },
  { header: 'Класс, предмет, дата, работа', value: (r) => r.what, width: 50 },
  { header: 'Было → станет', value: (r) => fieldsLine(r.fields), width: 70 },
  { header: 'Состояние доставки', value: (r) => r.statusLabel, width: 16 },
  { header: 'Код ошибки', value: (r) => r.code ?? '', width: 28 },
  { header: 'Попыток', value: (r) => r.attempts, width: 9 },
  { header: 'Идентификатор в МИС', value: (r) => r.sourceId, width: 24 },
  { header: 'Идентификатор на платформе', value: (r) => r.targetId ?? '', width: 24 },
];

export interface AuditRow {
  at: Date;
  actorName: string;
  actorOid: string;
  action: string;
  objectType: string;
  objectId: string | null;
  schoolId: string | null;
  details: string;
}

export function auditColumns(timeZone: string): TableColumn<AuditRow>[] {
  return [
    { header: 'Когда', value: (r) => reportTime(r.at, timeZone), width: 18 },
    { header: 'Кто', value: (r) => r.actorName, width: 32 },
    { header: 'oid ЕСИА', value: (r) => r.actorOid, width: 14 },
    { header: 'Что сделал', value: (r) => auditActionLabel(r.action), width: 36 },
    { header: 'Объект', value: (r) => auditObjectText(r.objectType, r.objectId), width: 30 },
    { header: 'Школа', value: (r) => r.schoolId ?? '', width: 14 },
    { header: 'Подробности', value: (r) => r.details, width: 60 },
  ];
}
