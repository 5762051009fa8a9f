import { deliveryLaneOf } from '../queue-names';
import { randomUUID } from 'node:crypto';
import { EjsyncError, isEjsyncError, ENTITY_LABELS, ENTITY_ORDER, makeFinding, type EntityCollection, type Finding } from '../../model';
import { translateReferences } from '../../reconcile';
import type { Actor, NewStagedChange, RunRecord, StagedChange, Store } from '../../store';
import { enqueueNextPhase } from './enqueue-phase';
import { finishRunIfDone } from './finish-run';
import { loadLink } from './pipeline-context';
import { requeuePlanJob } from './requeue-run';
import type { RunActionContext } from './run-actions';

/** Runs that wrote to the platform and so can be undone. */
const ROLLBACKABLE: readonly string[] = ['succeeded', 'partial', 'failed'];

/** Later changes named in a refusal; the rest are counted. */
const LISTED_LATER_CHANGES = 10;

/**
 * Builds and starts the inverse of what a run applied, as a new run linked to the original: a
 * create is removed by its platform id (the record as it was delivered, references in platform
 * ids), an update is set back to its before-value, an archive is re-created from its
 * before-value. Dependants go first (marks before works). Each undo is read back from the platform
 * as it is delivered (see the delivery processor), so a rollback ends `succeeded` only when the
 * platform shows every record as it was.
 *
 * Refused (`EjsyncError`, nothing started): a run that is not a finished sync
 * (`rollback.not_rollbackable`), a run already rolled back or being rolled back — once only
 * (`rollback.already_rolled_back`) — and a run whose records later runs of the link changed again
 * (`rollback.later_changes`, listing them): undoing it would overwrite newer data.
 * What cannot be inverted (no before-value, no platform id) is staged as skipped with a
 * `delivery.not_invertible` finding per record, so such a rollback ends `partial`, not `succeeded`.
 */
export async function rollbackRun(ctx: RunActionContext, runId: string, actor: Actor): Promise<{ run: RunRecord; notInvertible: Finding[]; /** Set when another run holds the link: the rollback starts once it ends. */ waitingFor?: string }> {
  const { store } = ctx;
  const original = await store.runs.require(runId);
  const earlier = await store.runs.rollbackOf(original.id);
  if (earlier) throw new EjsyncError('rollback.already_rolled_back', { detail: `запуск ${original.id} откатывался запуском ${earlier.id}` });
  if (original.kind === 'rollback' || !ROLLBACKABLE.includes(original.status)) {
    throw new EjsyncError('rollback.not_rollbackable', { detail: `запуск ${original.id}: ${original.kind === 'rollback' ? 'это запуск-откат' : `состояние «${original.status}»`}` });
  }
  const later = await store.changes.laterChangesTo(original.id, LISTED_LATER_CHANGES + 1);
  if (later.length) {
    const runs = [...new Set(later.map((c) => c.runId))];
    const listed = later.slice(0, LISTED_LATER_CHANGES).map((c) => `${ENTITY_LABELS[c.entity]} ${c.sourceId} (${c.runId})`);
    const more = later.length > LISTED_LATER_CHANGES ? ', и другие' : '';
    throw new EjsyncError('rollback.later_changes', { detail: `запуски ${runs.join(', ')} изменили: ${listed.join('; ')}${more}` });
  }
  const link = await loadLink(ctx, original.linkId);
  const applied = await store.changes.list(runId, { status: 'applied' });
  const inverse: NewStagedChange[] = [];
  const notInvertible: Finding[] = [];
  const skipped: NewStagedChange[] = [];
  const cannot = (c: StagedChange, why: string) => {
    notInvertible.push(makeFinding('delivery.not_invertible', { entity: c.entity, sourceId: c.sourceId, detail: `${c.entity} ${c.op} ${c.sourceId}${why ? ` — ${why}` : ''}` }));
    skipped.push({ changeId: `undo.${c.changeId}`, seq: 0, phase: 0, entity: c.entity, op: c.op, sourceId: c.sourceId, targetId: c.targetId, before: c.after ?? undefined, after: c.before ?? undefined, changedFields: c.changedFields, skipped: { code: 'delivery.not_invertible' } });
  };
  const delivered = await deliveredRecords(store, original.linkId, applied);
  const order = (entity: string) => ENTITY_ORDER.indexOf(entity as (typeof ENTITY_ORDER)[number]);
  for (const c of applied) {
    // Undo in reverse dependency order: the most dependent collection gets the lowest phase.
    const phase = ENTITY_ORDER.length - 1 - order(c.entity);
    const platformRecord = delivered.get(c.changeId);
    if (c.op === 'create' && c.targetId && platformRecord) {
      // Removed as the platform knows it: its platform id, and the platform ids of what it hangs on.
      inverse.push({ changeId: `undo.${c.changeId}`, seq: 0, phase, entity: c.entity, op: 'archive', sourceId: c.sourceId, targetId: c.targetId, before: { ...platformRecord, sourceId: c.targetId }, after: undefined, changedFields: null });
    } else if (c.op === 'create') {
      cannot(c, c.targetId ? 'нет платформенных идентификаторов связанных записей' : 'нет идентификатора записи на платформе');
    } else if (c.op === 'update' && c.before && c.targetId) {
      const wrote = platformRecord ? { ...platformRecord, sourceId: c.targetId } : c.after;
      inverse.push({ changeId: `undo.${c.changeId}`, seq: 0, phase, entity: c.entity, op: 'update', sourceId: c.sourceId, targetId: c.targetId, before: wrote, after: c.before, changedFields: c.changedFields });
    } else if (c.op === 'archive' && c.before) {
      inverse.push({ changeId: `undo.${c.changeId}`, seq: 0, phase: ENTITY_ORDER.length + order(c.entity), entity: c.entity, op: 'create', sourceId: c.sourceId, targetId: null, before: undefined, after: c.before, changedFields: null });
    } else {
      cannot(c, '');
    }
  }
  inverse.sort((a, b) => a.phase - b.phase);
  inverse.forEach((c, i) => (c.seq = i));
  skipped.forEach((c, i) => (c.seq = inverse.length + i));
  const run = await store.runs.createRollback({
    id: `run-${randomUUID()}`,
    linkId: original.linkId,
    schoolId: original.schoolId,
    trigger: 'person',
    triggeredBy: actor.actorOid,
    environment: original.environment,
    targetUrl: original.targetUrl ?? undefined,
    parentRunId: original.id,
  });
  await store.changes.stage(run.id, [...inverse, ...skipped]);
  await store.findings.add(run.id, notInvertible);
  await store.audit.append({ ...actor, action: 'run.rollback_started', objectType: 'run', objectId: original.id, schoolId: original.schoolId, details: { rollbackRunId: run.id, changes: inverse.length, notInvertible: notInvertible.length } });
  let applying: RunRecord;
  try {
    applying = await store.runs.transition(run.id, 'applying', { summary: { rollbackOf: original.id, changes: inverse.length, notInvertible: notInvertible.length } });
  } catch (error) {
    // Another run of the link applies: the rollback waits for the link like any run (its planning
    // job moves it to applying once the link is free), whoever started it — CLI or dashboard.
    if (!isEjsyncError(error) || error.code !== 'run.link_busy') throw error;
    await requeuePlanJob(ctx, run, 'wait');
    return { run: await store.runs.require(run.id), notInvertible, waitingFor: error.message };
  }
  const phase = await enqueueNextPhase(ctx, run.id, link.id, deliveryLaneOf(link.target));
  if (phase === null) return { run: (await finishRunIfDone(ctx, run.id)) ?? applying, notInvertible };
  return { run: applying, notInvertible };
}

/**
 * The records the run delivered, by change id, with their references in platform ids: as logged
 * when they were delivered, or — for changes applied before that was kept — translated through the
 * link's id map now. A record with a reference the id map does not know is left out.
 */
async function deliveredRecords(store: Store, linkId: string, applied: readonly StagedChange[]): Promise<Map<string, Record<string, unknown>>> {
  const out = new Map<string, Record<string, unknown>>();
  const untranslated = applied.filter((c) => c.op !== 'archive' && c.after && !c.delivered);
  const wanted = new Map<EntityCollection, Set<string>>();
  for (const c of untranslated) {
    translateReferences(c.entity, c.after as object, (e, id) => {
      if (!wanted.has(e)) wanted.set(e, new Set());
      wanted.get(e)!.add(id);
      return undefined;
    });
  }
  const found = new Map<EntityCollection, Map<string, string>>();
  for (const [e, ids] of wanted) found.set(e, await store.idMap.targetIds(linkId, e, [...ids]));
  for (const c of applied) {
    if (c.delivered) out.set(c.changeId, c.delivered as Record<string, unknown>);
    else if (c.op !== 'archive' && c.after) {
      const { record, missing } = translateReferences(c.entity, c.after as object, (e, id) => found.get(e)?.get(id));
      if (!missing.length) out.set(c.changeId, record as Record<string, unknown>);
    }
  }
  return out;
}
