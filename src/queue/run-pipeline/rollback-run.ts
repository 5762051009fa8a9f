import { deliveryLaneOf } from '../queue-names';
import { randomUUID } from 'node:crypto';
import { ENTITY_ORDER, makeFinding, type Finding } from '../../model';
import type { Actor, NewStagedChange, RunRecord } from '../../store';
import { enqueueNextPhase } from './enqueue-phase';
import { finishRunIfDone } from './finish-run';
import { loadLink } from './pipeline-context';
import type { RunActionContext } from './run-actions';

/**
 * Builds and starts the inverse of what a run applied, from the logged before-values, as a new
 * run linked to the original: a create is archived, an update is set back to its before-value,
 * an archive is re-created from its before-value. Dependants go first (marks before works).
 * What cannot be inverted (no before-value) is listed as `delivery.not_invertible` findings.
 */
export async function rollbackRun(ctx: RunActionContext, runId: string, actor: Actor): Promise<{ run: RunRecord; notInvertible: Finding[] }> {
  const { store } = ctx;
  const original = await store.runs.require(runId);
  const link = await loadLink(ctx, original.linkId);
  const applied = await store.changes.list(runId, { status: 'applied' });
  const inverse: NewStagedChange[] = [];
  const notInvertible: Finding[] = [];
  const order = (entity: string) => ENTITY_ORDER.indexOf(entity as (typeof ENTITY_ORDER)[number]);
  for (const c of applied) {
    // Undo in reverse dependency order: the most dependent collection gets the lowest phase.
    const phase = ENTITY_ORDER.length - 1 - order(c.entity);
    if (c.op === 'create' && c.targetId) {
      inverse.push({ changeId: `undo.${c.changeId}`, seq: 0, phase, entity: c.entity, op: 'archive', sourceId: c.sourceId, targetId: c.targetId, before: c.after, after: undefined, changedFields: null });
    } else if (c.op === 'update' && c.before && c.targetId) {
      inverse.push({ changeId: `undo.${c.changeId}`, seq: 0, phase, entity: c.entity, op: 'update', sourceId: c.sourceId, targetId: c.targetId, before: c.after, after: c.before, changedFields: c.changedFields });
    } else if (c.op === 'archive' && c.before) {
      inverse.push({ changeId: `undo.${c.changeId}`, seq: 0, phase: ENTITY_ORDER.length + order(c.entity), entity: c.entity, op: 'create', sourceId: c.sourceId, targetId: null, before: undefined, after: c.before, changedFields: null });
    } else {
      notInvertible.push(makeFinding('delivery.not_invertible', { entity: c.entity, sourceId: c.sourceId, detail: `${c.entity} ${c.op} ${c.sourceId}` }));
    }
  }
  inverse.sort((a, b) => a.phase - b.phase);
  inverse.forEach((c, i) => (c.seq = i));
  const run = await store.runs.create({
    id: `run-${randomUUID()}`,
    linkId: original.linkId,
    schoolId: original.schoolId,
    kind: 'rollback',
    trigger: 'person',
    triggeredBy: actor.actorOid,
    environment: original.environment,
    targetUrl: original.targetUrl ?? undefined,
    parentRunId: original.id,
  });
  await store.changes.stage(run.id, inverse);
  await store.findings.add(run.id, notInvertible);
  await store.audit.append({ ...actor, action: 'run.rollback_started', objectType: 'run', objectId: original.id, schoolId: original.schoolId, details: { rollbackRunId: run.id, changes: inverse.length, notInvertible: notInvertible.length } });
  const applying = await store.runs.transition(run.id, 'applying', { summary: { rollbackOf: original.id, changes: inverse.length, notInvertible: notInvertible.length } });
  const phase = await enqueueNextPhase(ctx, run.id, link.id, deliveryLaneOf(link.target));
  if (phase === null) return { run: (await finishRunIfDone(ctx, run.id)) ?? applying, notInvertible };
  return { run: applying, notInvertible };
}
