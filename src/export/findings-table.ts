import { ENTITY_LABELS, type Finding } from '../model';
import type { TableColumn } from './table-file';

/** Columns of a findings report, as a person reads it. */
export const FINDING_COLUMNS: readonly TableColumn<Finding>[] = [
  { header: 'Важность', value: (f) => (f.severity === 'error' ? 'ошибка' : 'предупреждение'), width: 14 },
  { header: 'Код', value: (f) => f.code, width: 34 },
  { header: 'Файл', value: (f) => f.file, width: 22 },
  { header: 'Строка', value: (f) => f.row, width: 8 },
  { header: 'Поле', value: (f) => f.field, width: 18 },
  { header: 'Вид записей', value: (f) => (f.entity ? ENTITY_LABELS[f.entity] : ''), width: 22 },
  { header: 'Идентификатор записи', value: (f) => f.sourceId, width: 22 },
  { header: 'Сообщение', value: (f) => f.message, width: 60 },
  { header: 'Что сделать', value: (f) => f.hint, width: 80 },
];
