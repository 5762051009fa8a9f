import type { TableColumn } from '../../export';
import type { DiscrepancyRow, FinalMarksRow } from '../views/reports-model';

/** The discrepancy report in one sheet: each row says which section it belongs to. */
export const DISCREPANCY_COLUMNS: readonly TableColumn<DiscrepancyRow>[] = [
  { header: 'Раздел', value: (r) => r.section, width: 40 },
  { header: 'Класс', value: (r) => r.className, width: 10 },
  { header: 'Предмет', value: (r) => r.subject, width: 24 },
  { header: 'Ученик', value: (r) => r.who, width: 36 },
  { header: 'Что', value: (r) => r.what, width: 60 },
  { header: 'В МИС', value: (r) => r.mis, width: 9 },
  { header: 'В журнале', value: (r) => r.journal, width: 11 },
  { header: 'Подробности', value: (r) => r.details, width: 70 },
];

export const FINAL_MARKS_COLUMNS: readonly TableColumn<FinalMarksRow>[] = [
  { header: 'Класс', value: (r) => r.className, width: 10 },
  { header: 'Предмет', value: (r) => r.subject, width: 28 },
  { header: 'Вид отметки', value: (r) => r.kindLabel, width: 18 },
  { header: 'В МИС', value: (r) => r.mis, width: 9 },
  { header: 'В журнале', value: (r) => r.journal, width: 11 },
  { header: 'Доставлено', value: (r) => r.delivered, width: 12 },
  { header: 'Ждёт', value: (r) => r.waiting, width: 8 },
  { header: 'Не доставлено', value: (r) => r.failed, width: 14 },
];
