import { EjsyncError } from '../model';

export const RUN_STATUSES = ['planned', 'held', 'approved', 'discarded', 'applying', 'succeeded', 'partial', 'failed', 'cancelled', 'rolled_back', 'superseded'] as const;
export type RunStatus = (typeof RUN_STATUSES)[number];

/** Which statuses a run may move to from each status. Everything else is refused. */
export const RUN_TRANSITIONS: Record<RunStatus, readonly RunStatus[]> = {
  planned: ['held', 'applying', 'succeeded', 'failed', 'cancelled'],
  held: ['approved', 'discarded', 'cancelled', 'superseded'],
  // Back to held: approval re-plans first, and a plan that changed waits for a new decision.
  // Failed: the watchdog gives up on an approved run whose re-plan job the queue kept losing.
  approved: ['applying', 'cancelled', 'held', 'failed'],
  discarded: [],
  applying: ['succeeded', 'partial', 'failed', 'cancelled'],
  succeeded: ['rolled_back'],
  partial: ['rolled_back', 'applying'],
  failed: ['rolled_back', 'applying'],
  cancelled: [],
  rolled_back: [],
  superseded: [],
};

export const RUN_STATUS_LABELS: Record<RunStatus, string> = {
  planned: 'запланирован',
  held: 'задержан (ждёт решения)',
  approved: 'одобрен',
  discarded: 'отклонён',
  applying: 'применяется',
  succeeded: 'успешно',
  partial: 'частично',
  failed: 'ошибка',
  cancelled: 'отменён',
  rolled_back: 'откачен',
  superseded: 'заменён более новым',
};

/** Statuses from which `to` can be reached. */
export function sourcesOf(to: RunStatus): RunStatus[] {
  return RUN_STATUSES.filter((from) => RUN_TRANSITIONS[from].includes(to));
}

export function assertTransition(from: RunStatus, to: RunStatus): void {
  if (!RUN_TRANSITIONS[from].includes(to)) {
    throw new EjsyncError('store.invalid_transition', { detail: `${RUN_STATUS_LABELS[from]} → ${RUN_STATUS_LABELS[to]}` });
  }
}
