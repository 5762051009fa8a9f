import type { RunRecord, RunStatus } from '../../store';
import { ALERT_KIND_LABELS, type AlertMessage } from './alert-types';

const FAILED: RunStatus[] = ['failed', 'partial'];

/**
 * Which alerts a run's outcome raises (pure): a failed or partial run, a held run, and N failed
 * runs of a link in a row (once, when the streak reaches N). Ids are deterministic, so the same
 * event never alerts twice.
 */
export function alertsForRun(run: RunRecord, recentStatuses: readonly RunStatus[], options: { consecutiveFailures: number; dashboardUrl?: string; now: Date }): AlertMessage[] {
  const url = options.dashboardUrl ? `${options.dashboardUrl.replace(/\/+$/, '')}/runs/${run.id}` : undefined;
  const base = { linkId: run.linkId, runId: run.id, schoolId: run.schoolId, url, at: options.now.toISOString() };
  const out: AlertMessage[] = [];
  if (run.status === 'held') {
    out.push({ ...base, id: `run_held.${run.id}`, kind: 'run_held', subject: ALERT_KIND_LABELS.run_held, text: `Связь ${run.linkId}: запуск ${run.id} задержан и ждёт одобрения или отклонения. Причины — на странице запуска.` });
  }
  if (FAILED.includes(run.status)) {
    out.push({
      ...base,
      id: `run_failed.${run.id}`,
      kind: 'run_failed',
      subject: ALERT_KIND_LABELS.run_failed,
      text: `Связь ${run.linkId}: запуск ${run.id} завершился ${run.status === 'partial' ? 'частично' : 'ошибкой'}${run.errorCode ? ` (${run.errorCode})` : ''}.`,
    });
    let streak = 0;
    for (const s of recentStatuses) {
      if (FAILED.includes(s)) streak++;
      else break;
    }
    if (streak === options.consecutiveFailures) {
      out.push({
        ...base,
        id: `consecutive_failures.${run.id}`,
        kind: 'consecutive_failures',
        subject: ALERT_KIND_LABELS.consecutive_failures,
        text: `Связь ${run.linkId}: ${streak} запуска подряд не прошли. Проверьте подключение к платформе и выгрузку МИС.`,
      });
    }
  }
  return out;
}
