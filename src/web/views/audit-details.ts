import { ROLE_LABELS, type Role } from '../auth/roles';
import { maskSnilsIn } from '../privacy/personal-data';
import { RUN_STATUS_LABELS } from '../../store';
import { MANUAL_STATUS_LABELS } from '../pages/labels';

const DETAIL_LABELS: Record<string, string> = {
  reason: 'причина',
  roles: 'роли',
  role: 'роль',
  changeId: 'запись',
  runId: 'запуск',
  runs: 'запусков',
  code: 'код',
  rollbackRunId: 'запуск-откат',
  changes: 'изменений',
  notInvertible: 'не откатить',
  source: 'источник',
  format: 'формат',
  table: 'таблица',
  requeued: 'поставлено в очередь',
  count: 'количество',
  actionIds: 'действия',
  before: 'было',
  after: 'стало',
  status: 'состояние',
  paused: 'приостановлена',
  method: 'запрос',
  path: 'адрес',
  csrf: 'без токена защиты',
  entity: 'вид записей',
  sourceId: 'код в МИС',
  targetId: 'код на платформе',
  sourceOfTarget: 'была связана с',
  schoolId: 'школа',
  closed: 'закрыт',
  assigned: 'назначена',
  oid: 'ЕСИА oid',
  periodId: 'период',
  linkId: 'связь',
  closeReason: 'причина закрытия',
  closedBy: 'закрыл',
  closedAt: 'закрыт когда',
  chain: 'цепочка',
  changed: 'изменено',
  createdAt: 'создана',
  deletedExports: 'удалено выгрузок',
  deletedRosters: 'удалено списков',
  deletedRuns: 'удалено запусков',
  duplicate: 'повтор',
  failed: 'недоставленных',
  files: 'файлы',
  finalGrade: 'выпускной класс',
  folder: 'папка',
  heldFor: 'задержан',
  kind: 'вид',
  matchedBy: 'сопоставлено по',
  name: 'имя',
  orderDate: 'дата приказа',
  orderNumber: 'приказ',
  pending: 'в очереди',
  personalDataDays: 'срок хранения персональных данных, дней',
  planJob: 'задание планирования',
  previous: 'прежнее',
  redactedRuns: 'очищено запусков',
  redactedWorklist: 'очищено ручных действий',
  runYears: 'срок хранения запусков, лет',
  scheduled: 'по расписанию',
  sha256: 'SHA-256',
  size: 'размер',
  statusCode: 'код ответа',
  subgroups: 'подгруппы',
  tables: 'таблиц',
  to: 'по',
  year: 'учебный год',
  month: 'месяц',
};

const STATE_WORDS: Record<string, string> = { ...RUN_STATUS_LABELS, ...MANUAL_STATUS_LABELS };

/** What an audit row is about, in Russian. */
const OBJECT_LABELS: Record<string, string> = {
  run: 'запуск',
  link: 'связь',
  session: 'вход в ejsync',
  period: 'период',
  role_assignment: 'роль, ЕСИА oid',
  people_link: 'учётная запись ЕСИА',
  backup: 'резервная копия',
  archive: 'архив учебного года',
  store: 'база ejsync',
  failures: 'недоставленные записи',
  audit: 'журнал действий',
};

/** «запуск run-…», «период link/q1», «вход в ejsync»: an audit row's object in Russian. */
export function auditObjectText(type: string, id: string | null): string {
  const label = OBJECT_LABELS[type] ?? type;
  return id && type !== 'session' ? `${label} ${id}` : label;
}

/** A detail's value in Russian: states named, yes/no, nested objects as «ключ: значение». */
function valueText(k: string, v: unknown): string {
  if (Array.isArray(v)) return v.map((x) => valueText(k, x)).join(', ');
  if (typeof v === 'boolean') return v ? 'да' : 'нет';
  if (v === null || v === undefined) return '—';
  if (typeof v === 'object') return Object.entries(v as Record<string, unknown>).map(([kk, vv]) => `${DETAIL_LABELS[kk] ?? kk} ${valueText(kk, vv)}`).join(', ');
  const text = String(v);
  return (k === 'status' || k === 'before' || k === 'after') && STATE_WORDS[text] ? STATE_WORDS[text] : text;
}

/** An audit row's details in one Russian line (СНИЛС-like numbers masked). */
export function auditDetails(d: Record<string, unknown>): string {
  const role = (v: unknown) => ROLE_LABELS[v as Role] ?? String(v);
  return Object.entries(d)
    .map(([k, v]) => [k, k === 'roles' && Array.isArray(v) ? v.map(role) : k === 'role' ? role(v) : v] as const)
    .map(([k, v]) => `${DETAIL_LABELS[k] ?? k}: ${valueText(k, v)}`)
    .map(maskSnilsIn)
    .join('; ');
}
