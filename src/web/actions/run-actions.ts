import { approveRun, discardRun, retryFailed } from '../../queue/run-pipeline/run-actions';
import { rollbackRun } from '../../queue/run-pipeline/rollback-run';
import type { Actor, RunRecord } from '../../store';
import type { DashboardBackend } from '../dashboard-backend';
import { DashboardError } from '../dashboard-error';
import { catalogueEntry } from '../../model';

export const RUN_ACTION_NAMES = ['approve', 'discard', 'retry', 'rollback'] as const;
export type RunActionName = (typeof RUN_ACTION_NAMES)[number];

/** What a person may add to an action: a reason, one error code, one change. */
export interface RunActionInput {
  reason?: string;
  code?: string;
  changeId?: string;
}

/** The outcome: the run to show next, and a Russian sentence about what happened. */
export interface ActionOutcome {
  runId: string;
  message: string;
  /** Whatever the pipeline returned, for the API. */
  result: unknown;
}

export interface RunActionSpec {
  /** Button text. */
  label: string;
  /** The confirmation page's question. */
  question(run: RunRecord, input: RunActionInput): string;
  /** What will happen, for the confirmation page. */
  consequence: string;
  danger?: boolean;
  /** A reason must be given (and is audited). */
  needsReason?: boolean;
  allowed(run: RunRecord, failedCount: number): boolean;
  perform(backend: DashboardBackend, run: RunRecord, actor: Actor, input: RunActionInput): Promise<ActionOutcome>;
}

const SETTLED_SYNC = ['succeeded', 'partial', 'failed'];

export const RUN_ACTIONS: Record<RunActionName, RunActionSpec> = {
  approve: {
    label: 'Одобрить и отправить',
    question: () => 'Одобрить задержанный запуск и отправить изменения на платформу?',
    consequence:
      'План будет заново сверен с выгрузкой и платформой. Если он тот же, все его изменения, включая превысившие пороги, будут отправлены на платформу; если изменился, ничего не отправится и запуск снова будет ждать решения с перечнем отличий. Ваше решение и причина будут записаны в журнал действий.',
    allowed: (run) => run.status === 'held',
    async perform(backend, run, actor, input) {
      const result = await approveRun(backend.ctx, run.id, actor, input.reason || undefined);
      return { runId: run.id, message: APPROVED_MESSAGE, result: { run: result } };
    },
  },
  discard: {
    label: 'Отклонить',
    question: () => 'Отклонить задержанный запуск?',
    consequence: 'Ничего не будет отправлено на платформу; запуск останется в истории как отклонённый. Следующий запуск по расписанию построит план заново.',
    danger: true,
    needsReason: true,
    allowed: (run) => run.status === 'held',
    async perform(backend, run, actor, input) {
      if (!input.reason?.trim()) throw new DashboardError(400, 'reason_required', 'Укажите причину отклонения: она будет записана в журнал действий');
      const result = await discardRun(backend.ctx, run.id, actor, input.reason.trim());
      return { runId: run.id, message: 'Запуск отклонён.', result: { run: result } };
    },
  },
  retry: {
    label: 'Повторить недоставленные',
    question: (_run, input) =>
      input.changeId ? 'Повторить доставку этой записи?' : input.code ? `Повторить все недоставленные записи с кодом ${input.code}?` : 'Повторить доставку всех недоставленных записей запуска?',
    consequence: 'Записи снова встанут в очередь доставки; запуск перейдёт в состояние «применяется» и завершится заново, когда они будут обработаны. Повтор безопасен: уже доставленное не отправляется второй раз.',
    allowed: (run, failedCount) => ['partial', 'failed'].includes(run.status) && failedCount > 0,
    async perform(backend, run, actor, input) {
      const filter = input.changeId ? { changeIds: [input.changeId] } : input.code ? { code: input.code } : {};
      const result = await retryFailed(backend.ctx, run.id, actor, filter);
      if (input.changeId && result.requeued) {
        await backend.store.audit.append({ ...actor, action: 'run.retry_change', objectType: 'run', objectId: run.id, schoolId: run.schoolId, details: { changeId: input.changeId, before: { status: 'failed' }, after: { status: 'pending' } } });
      }
      return { runId: run.id, message: result.requeued ? `Поставлено в очередь повторно: ${result.requeued}.` : 'Нечего повторять: недоставленных записей нет.', result };
    },
  },
  rollback: {
    label: 'Откатить запуск',
    question: () => 'Откатить всё, что этот запуск записал на платформу?',
    consequence:
      'Будет создан и запущен новый запуск-откат: созданные записи будут удалены, изменённые — возвращены к прежним значениям, удалённые — созданы снова; каждая запись после отмены перечитывается с платформы. Что нельзя вернуть автоматически, будет перечислено в отчёте отката. Запуск откатывают один раз; если его записи позже изменили другие запуски, откат будет отклонён.',
    danger: true,
    allowed: (run) => run.kind === 'sync' && SETTLED_SYNC.includes(run.status),
    async perform(backend, run, actor) {
      const result = await rollbackRun(backend.ctx, run.id, actor);
      const message = result.waitingFor ? `Откат создан (${result.run.id}) и начнётся сам, когда завершится текущий запуск связи: ${result.waitingFor}.` : `Откат начат (${result.run.id}).`;
      return { runId: result.run.id, message, result: { run: result.run, notInvertible: result.notInvertible.length, waiting: !!result.waitingFor } };
    },
  },
};

/** What a person is told once a held run is approved (dashboard, API, CLI). */
export const APPROVED_MESSAGE = 'Запуск одобрен: план пересчитывается по текущему состоянию выгрузки и платформы. Если он не изменился, изменения будут отправлены; если изменился, запуск снова будет ждать решения с перечнем отличий.';

/**
 * Why an action a run does not offer is refused, when there is more to say than its status: a
 * superseded run cannot be approved (`run.superseded`, naming the run that replaced it).
 */
export function runActionRefusal(name: RunActionName, run: RunRecord): DashboardError | null {
  if (name === 'approve' && run.status === 'superseded') {
    const entry = catalogueEntry('run.superseded');
    const newer = typeof run.summary.supersededBy === 'string' ? `: новый план — запуск ${run.summary.supersededBy}` : '';
    return new DashboardError(409, entry.code, `${entry.message}${newer}`, entry.hint);
  }
  return null;
}

export function isRunActionName(name: string): name is RunActionName {
  return (RUN_ACTION_NAMES as readonly string[]).includes(name);
}

/** The actions a run offers now (before the person's rights are checked). */
export function availableRunActions(run: RunRecord, failedCount: number): RunActionName[] {
  return RUN_ACTION_NAMES.filter((name) => RUN_ACTIONS[name].allowed(run, failedCount));
}
