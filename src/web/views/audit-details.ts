import { ROLE_LABELS, type Role } from '../auth/roles';
import { maskSnilsIn } from '../privacy/personal-data';

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
};

/** An audit row's details in one Russian line (СНИЛС-like numbers masked). */
export function auditDetails(d: Record<string, unknown>): string {
  const role = (v: unknown) => ROLE_LABELS[v as Role] ?? String(v);
  return Object.entries(d)
    .map(([k, v]) => [k, k === 'roles' && Array.isArray(v) ? v.map(role) : k === 'role' ? role(v) : v] as const)
    .map(([k, v]) => `${DETAIL_LABELS[k] ?? k}: ${Array.isArray(v) ? v.join(', ') : v && typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .map(maskSnilsIn)
    .join('; ');
}
