import { ENTITY_LABELS, type EntityCollection } from '../model';
import type { TableColumn } from './table-file';

const OP_LABELS: Record<string, string> = { create: 'создать', update: 'изменить', archive: 'архивировать' };

/** A planned or delivered change, as reports show it (the shape of reconcile's and the store's changes). */
export interface ChangeRow {
  entity: string;
  op: string;
  sourceId: string;
  targetId?: string | null;
  changedFields?: readonly string[] | null;
  before?: unknown;
  after?: unknown;
  /** Delivery status, when the change was staged in a run. */
  status?: string;
  code?: string | null;
  attempts?: number;
}

/** A manual action for the platform's UI, as reports show it. */
export interface ManualActionRow {
  entity: string;
  op: string;
  sourceId: string;
  title: string;
  fields: readonly { label: string; value: string; previous?: string }[];
  reason: string;
}

const entityLabel = (entity: string) => ENTITY_LABELS[entity as EntityCollection] ?? entity;

function changedValues(row: ChangeRow, side: 'before' | 'after'): string {
  const record = row[side] as Record<string, unknown> | undefined;
  if (!record) return '';
  const fields = row.changedFields?.length ? row.changedFields : row.op === 'update' ? [] : Object.keys(record).filter((k) => k !== 'sourceId');
  return fields.map((f) => `${f}=${record[f] === undefined ? '' : JSON.stringify(record[f])}`).join('; ');
}

/** Columns of a changes report: what changes, where, from what to what. */
export const CHANGE_COLUMNS: readonly TableColumn<ChangeRow>[] = [
  { header: 'Вид записей', value: (c) => entityLabel(c.entity), width: 24 },
  { header: 'Действие', value: (c) => OP_LABELS[c.op] ?? c.op, width: 14 },
  { header: 'Идентификатор в МИС', value: (c) => c.sourceId, width: 24 },
  { header: 'Идентификатор на платформе', value: (c) => c.targetId ?? '', width: 24 },
  { header: 'Изменённые поля', value: (c) => (c.changedFields ?? []).join(', '), width: 24 },
  { header: 'Было', value: (c) => changedValues(c, 'before'), width: 50 },
  { header: 'Станет', value: (c) => changedValues(c, 'after'), width: 50 },
  { header: 'Состояние доставки', value: (c) => c.status ?? '', width: 16 },
  { header: 'Код ошибки', value: (c) => c.code ?? '', width: 28 },
  { header: 'Попыток', value: (c) => c.attempts, width: 9 },
];

/** Columns of a manual actions list: one row per action, the fields to enter in one cell. */
export const MANUAL_ACTION_COLUMNS: readonly TableColumn<ManualActionRow>[] = [
  { header: 'Вид записей', value: (a) => entityLabel(a.entity), width: 24 },
  { header: 'Что сделать', value: (a) => a.title, width: 50 },
  { header: 'Данные для ввода', value: (a) => a.fields.map((f) => `${f.label}: ${f.value}${f.previous !== undefined ? ` (сейчас: ${f.previous})` : ''}`).join('\n'), width: 70 },
  { header: 'Почему вручную', value: (a) => a.reason, width: 50 },
  { header: 'Идентификатор в МИС', value: (a) => a.sourceId, width: 22 },
];
