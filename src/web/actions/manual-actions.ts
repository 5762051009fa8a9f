import type { Actor, ManualActionStatus, RunRecord } from '../../store';
import type { DashboardBackend } from '../dashboard-backend';
import { DashboardError } from '../dashboard-error';
import { plural } from '../pages/labels';
import { catalogueEntry } from '../../model';

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

/**
 * Marks worklist items of a link done (or open again) by their action ids: each through the run
 * that last listed it, so the per-run checklist and the worklist agree. An id the link's worklist
 * does not hold is refused (`worklist.action_unknown`) and nothing is marked.
 */
export async function markWorklist(backend: DashboardBackend, linkId: string, actor: Actor, mark: ManualMark, actionIds: readonly string[]) {
  const items = await Promise.all([...new Set(actionIds)].map((id) => backend.store.manualActions.item(linkId, id)));
  const missing = [...new Set(actionIds)].filter((_id, i) => !items[i]);
  if (missing.length) {
    const e = catalogueEntry('worklist.action_unknown');
    throw new DashboardError(404, e.code, `${e.message}: ${missing.slice(0, 5).join(', ')}`, e.hint);
  }
  const byRun = new Map<string, string[]>();
  for (const item of items) byRun.set(item!.lastRunId, [...(byRun.get(item!.lastRunId) ?? []), item!.actionId]);
  let changed = 0;
  for (const [runId, ids] of byRun) changed += await backend.store.manualActions.setStatus(runId, ids, STATUS_OF[mark], actor);
  const open = (await backend.store.manualActions.worklist({ linkIds: [linkId], statuses: ['open'], limit: 1 })).total;
  const what = mark === 'done' ? 'Отмечено выполненным' : 'Возвращено в работу';
  return { linkId, status: STATUS_OF[mark], changed, open, message: `${what}: ${plural(changed, 'действие', 'действия', 'действий')}. Открытых в связи: ${open}.` };
}
