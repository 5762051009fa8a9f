/** Why an alert goes out. */
export type AlertKind = 'run_failed' | 'run_held' | 'consecutive_failures' | 'daily_digest' | 'backup_failed';

/**
 * An alert's content: ids, counts and Russian text for a person. No names or СНИЛС — the
 * text points to the dashboard, where access is checked.
 */
export interface AlertMessage {
  id: string;
  kind: AlertKind;
  linkId?: string;
  runId?: string;
  schoolId?: string;
  /** Russian subject line. */
  subject: string;
  /** Russian plain text. */
  text: string;
  /** Link to the dashboard page. */
  url?: string;
  at: string;
}

export const ALERT_KIND_LABELS: Record<AlertKind, string> = {
  run_failed: 'Запуск синхронизации завершился ошибкой',
  run_held: 'Запуск синхронизации задержан и ждёт решения',
  consecutive_failures: 'Синхронизация школы не проходит несколько раз подряд',
  daily_digest: 'Ежедневная сводка синхронизаций',
  backup_failed: 'Резервная копия ejsync по расписанию не создана',
};
