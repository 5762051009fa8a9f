import type { Actor, ManualActionStatus, RunRecord } from '../../store';
import type { DashboardBackend } from '../dashboard-backend';
import { DashboardError } from '../dashboard-error';
import { plural } from '../pages/labels';

/** `done`: mark manual actions done; `reopen`: back to open. */
export const MANUAL_MARKS = ['done', 'reopen'] as const;
export type ManualMark = (typeof MANUAL_MARKS)[number];

const STATUS_OF: Record<ManualMark, Exclude<ManualActionStatus, 'resolved'>> = { done: 'done', reopen: 'open' };

/** At most this many action ids per request (a whole group of a large school fits). */
export const MAX_MARKED_ACTIONS = 5000;

export function isManualMark(name: string): name is ManualMark {
  return (MANUAL_MARKS as readonly string[]).includes(name);
}

/** Action ids from a JSON body (`actionIds: string[]`) or a form (one or repeated `actionIds`). */
export function actionIdsOf(body: unknown): string[] {
  const raw = (body as { actionIds?: unknown } | null | undefined)?.actionIds;
  const list = Array.isArray(raw) ? raw : raw === undefined ? [] : [raw];
  if (!list.length || list.some((v) => typeof v !== 'string' || !v)) throw new DashboardError(400, 'action_ids_required', 'Укажите ручные действия: непустой список actionIds');
  if (list.length > MAX_MARKED_ACTIONS) throw new DashboardError(400, 'too_many_actions', `Не больше ${MAX_MARKED_ACTIONS} действий за раз`);
  return list as string[];
}

/**
 * Marks a run's manual actions done or open again (the person has already been checked: they
 * may act on the run's school). No confirmation: the step changes nothing on the platform and
 * can be undone. Ids not of this run are ignored. Audited by the store in the same transaction.
 */
export async function markManualActions(backend: DashboardBackend, run: RunRecord, actor: Actor, mark: ManualMark, actionIds: readonly string[]) {
  const { manualActions } = backend.store;
  const changed = await manualActions.setStatus(run.id, actionIds, STATUS_OF[mark], actor);
  const open = await manualActions.openCount(run.id);
  const what = mark === 'done' ? 'Отмечено выполненным' : 'Возвращено в работу';
  return { runId: run.id, status: STATUS_OF[mark], changed, open, message: `${what}: ${plural(changed, 'действие', 'действия', 'действий')}. Осталось выполнить: ${open}.` };
}
