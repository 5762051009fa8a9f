import {
  can,
  ENTITY_LABELS,
  ENTITY_ORDER,
  makeFinding,
  type ChangeOp,
  type EntityCollection,
  type Finding,
  type Snapshot,
} from '../model';
import { changeId, manualActionId } from './change-ids';
import { comparableValue } from './compare-records';
import { DATED_ENTITIES, datedBucketOf, inDatedScope } from './dated-scope';
import { ENTITY_FIELDS } from './entity-fields';
import type { IdMapView } from './id-map-view';
import { buildManualAction } from './manual-actions';
import { matchEntities, type EntityMatches } from './match-entities';
import type { EntityPlanCounts, ManualAction, Plan, PlanOptions, PlannedChange } from './plan-types';
import { REFERENCE_FIELDS, referenceCandidates, type AnyRecord, type ReferenceField } from './references';
import { SnapshotIndex } from './snapshot-index';
import { NO_SOURCE_GAPS } from './source-gaps';
import { reportUndeliverable } from './undeliverable';

/** What became of an unmatched source record in this plan. */
type Fate = 'create' | 'manual' | 'blocked';

type RefProblem = { field: string; entity: EntityCollection; id: string; why: 'missing' | 'waiting' | 'blocked' };

/** Marks and absences of a pupil who is no longer in the МИС stay on the platform as history. */
const PUPIL_HISTORY: ReadonlySet<EntityCollection> = new Set(['marks', 'attendance']);

/** What ending a membership carries to the platform (or to the person who ends it by hand). */
const MOVEMENT_FIELDS = ['endDate', 'reason', 'orderNumber', 'orderDate'] as const;

/** Prefix of a reference to a record created earlier in the same run: differs from every platform id. */
const PENDING = '\u0000pending:';

const PROBLEM_TEXT: Record<RefProblem['why'], string> = {
  missing: 'связанной записи нет ни на платформе, ни в плане',
  waiting: 'связанная запись ждёт ручного действия',
  blocked: 'связанная запись не передаётся (см. другие замечания)',
};

function emptyCounts(): EntityPlanCounts {
  return { create: 0, update: 0, archive: 0, unchanged: 0, manual: 0, findings: 0, matched: 0 };
}

const archivePhase = (index: number) => ENTITY_ORDER.length + (ENTITY_ORDER.length - 1 - index);

/**
 * Diffs the source (МИС) against the platform, through the id map and natural keys, in
 * dependency order. Creates for source records with no platform record; updates where a
 * comparable field differs (compared in the platform's id space after normalisation); archives
 * for platform records the id map links to a source record that is gone — only where the source
 * is complete (`options.gaps`): a record the reader rejected, or one in a collection with errors,
 * is unknown, and its platform twin is left as it is. Fields the reader rejected are neither
 * compared nor written. Records present only on the platform are counted, never deleted. What the
 * platform's API cannot do becomes a manual action; what it cannot hold at all is reported.
 * Pure and linear in the number of records.
 */
export function plan(source: Snapshot, target: Snapshot, idMap: IdMapView, options: PlanOptions): Plan {
  const caps = options.capabilities;
  const gaps = options.gaps ?? NO_SOURCE_GAPS;
  const wanted = options.entities ? new Set(options.entities) : undefined;
  const planned = ENTITY_ORDER.filter((e) => can(caps, e, 'read') && (!wanted || wanted.has(e)));
  const plannedSet = new Set<EntityCollection>(planned);
  const matched = matchEntities(source, target, idMap, { entities: planned });
  const byEntity = matched.byEntity;

  const findings: Finding[] = [...matched.findings, ...reportUndeliverable(source, planned, options)];
  const changes: PlannedChange[] = [];
  const archives: PlannedChange[][] = ENTITY_ORDER.map(() => []);
  const manualActions: ManualAction[] = [];
  const counts = {} as Record<EntityCollection, EntityPlanCounts>;
  const unmatchedTarget = {} as Record<EntityCollection, number>;
  for (const e of ENTITY_ORDER) {
    counts[e] = emptyCounts();
    unmatchedTarget[e] = 0;
  }
  const fates = new Map<EntityCollection, Map<string, Fate>>();
  const sourceIdSets = new Map<EntityCollection, Set<string>>();
  /** Whether the source holds a record with this id (built lazily: only unusual paths ask). */
  const sourceHas = (entity: EntityCollection, id: string) => {
    let set = sourceIdSets.get(entity);
    if (!set) {
      set = new Set((source[entity] as unknown as AnyRecord[]).map((r) => r.sourceId));
      sourceIdSets.set(entity, set);
    }
    return set.has(id);
  };
  const sourceIndex = new SnapshotIndex(source);
  const targetIndex = new SnapshotIndex(target);
  // Create and update ids derive from unique source ids; archives come from the id map, where a
  // damaged map could give two platform records one source id, so only those are de-duplicated.
  const usedArchiveIds = new Set<string>();
  const uniqueArchiveId = (id: string, targetId: string) => {
    const out = usedArchiveIds.has(id) ? `${id}.${toSafe(targetId)}` : id;
    usedArchiveIds.add(out);
    return out;
  };

  /** A reference of a source record, in platform ids: the id, PENDING + source id, or a problem. */
  const resolveSourceRef = (ref: ReferenceField, record: AnyRecord): string | RefProblem | undefined => {
    const value = record[ref.field];
    if (typeof value !== 'string' || value === '') return undefined;
    const candidates = referenceCandidates(ref, record);
    for (const entity of candidates) {
      const tid = byEntity[entity].sourceToTarget.get(value);
      if (tid !== undefined) return tid;
    }
    let known = false;
    for (const entity of candidates) {
      const fate = fates.get(entity)?.get(value);
      if (fate === 'create') return PENDING + value;
      if (fate === 'manual') return { field: ref.field, entity, id: value, why: 'waiting' };
      if (fate === 'blocked' || byEntity[entity].ambiguous.has(value)) return { field: ref.field, entity, id: value, why: 'blocked' };
      if (sourceHas(entity, value)) known = true;
    }
    return { field: ref.field, entity: candidates[0], id: value, why: known ? 'blocked' : 'missing' };
  };

  /** School-local day and grade of a record, for the guard's closed-period check. */
  const dayAndGrade = (entity: EntityCollection, record: AnyRecord, index: SnapshotIndex): { date?: string; grade?: number } => {
    let date = typeof record.date === 'string' ? record.date : undefined;
    let group: AnyRecord = record;
    if (entity === 'attendance') {
      const lesson = index.get('lessons', String(record.lessonId));
      if (!lesson) return {};
      date = String(lesson.date);
      group = lesson;
    }
    if (date === undefined) return {};
    const gid = String(group.groupId);
    const cls = index.get('classes', gid) ?? index.get('classes', String(index.get('subgroups', gid)?.classId));
    return cls ? { date, grade: Number(cls.grade) } : { date };
  };

  // Dated records outside what was read from the platform are neither created, changed nor
  // archived: the platform's twin may well be there, unread.
  const scope = options.datedScope;
  const classTarget = byEntity.classes.sourceToTarget;
  const targetInScope = (entity: EntityCollection, t: AnyRecord): boolean => {
    const bucket = datedBucketOf(entity, t, targetIndex);
    if (!bucket) return scope!.classes === undefined;
    return inDatedScope(scope!, bucket.classId, bucket.date);
  };
  /** Incremental reads: `entity\u0000sourceId` of the dated records this plan could vouch for. */
  const datedInScope = scope?.classes ? new Set<string>() : undefined;
  let notCompared = 0;
  let neverDelivered = 0;
  let twinsUnread = 0;

  const manual = (
    entity: EntityCollection,
    op: ChangeOp,
    sourceId: string,
    extra: { targetId?: string; after?: AnyRecord; before?: AnyRecord; changedFields?: string[] },
  ) => {
    const baseId = manualActionId(entity, op, sourceId);
    const action = buildManualAction({
      id: op === 'archive' ? uniqueArchiveId(baseId, extra.targetId!) : baseId,
      entity,
      op,
      sourceId,
      ...extra,
      sourceIndex,
      targetIndex,
    });
    if (DATED_ENTITIES.has(entity)) Object.assign(action, dayAndGrade(entity, extra.after ?? extra.before!, extra.after ? sourceIndex : targetIndex));
    manualActions.push(action);
    counts[entity].manual++;
  };

  for (const entity of planned) {
    const index = ENTITY_ORDER.indexOf(entity);
    const em: EntityMatches = byEntity[entity];
    const sources = source[entity] as unknown as AnyRecord[];
    const targets = target[entity] as unknown as AnyRecord[];
    const fate = new Map<string, Fate>();
    fates.set(entity, fate);
    const canCreate = can(caps, entity, 'create');
    const canUpdate = can(caps, entity, 'update');
    const canArchive = can(caps, entity, 'archive');

    const refs = REFERENCE_FIELDS[entity].filter((r) => referenceCandidates(r, { sourceId: '', groupKind: 'class' }).some((e) => plannedSet.has(e)));
    const unmanagedRefs = new Set(REFERENCE_FIELDS[entity].filter((r) => !refs.includes(r)).map((r) => r.field));
    const fields = (options.comparableFields?.[entity] ?? ENTITY_FIELDS[entity]).filter((f) => f !== 'sourceId' && !unmanagedRefs.has(f));
    const refSlot = new Map(refs.map((r, i) => [r.field, i]));
    const plainFields = fields.filter((f) => !refSlot.has(f));
    const comparedRefs = fields.filter((f) => refSlot.has(f)).map((f) => ({ field: f, slot: refSlot.get(f)! }));
    const platformFills = new Set(options.comparison?.platformFills?.[entity] ?? []);
    const platformOmits = new Set(options.comparison?.platformOmits?.[entity] ?? []);
    const fallbacks = options.comparison?.fallbacks?.[entity] ?? {};
    const translated: (string | undefined)[] = refs.map(() => undefined);
    // The id maps of single-collection references, fetched once: the hot path is one lookup.
    const directMaps = refs.map((r) => (typeof r.target === 'string' ? byEntity[r.target].sourceToTarget : undefined));
    const dated = DATED_ENTITIES.has(entity);
    const c = counts[entity];
    const rejectedFields = gaps.rejectedFields.get(entity);
    const incomplete = gaps.incomplete.has(entity);
    const explicitlyDeleted = gaps.deleted.get(entity);
    let keptUnknown = 0;

    const today = options.today;
    const endsMembership = entity === 'memberships' && today !== undefined ? (r: AnyRecord) => typeof r.endDate === 'string' && r.endDate < today : undefined;
    const anyAmbiguous = em.ambiguous.size > 0;
    for (let si = 0; si < sources.length; si++) {
      const s = sources[si];
      if (scope && dated) {
        // A record whose group or lesson is missing has no bucket: the reference check reports it.
        const bucket = datedBucketOf(entity, s, sourceIndex);
        if (bucket && !inDatedScope(scope, classTarget.get(bucket.classId), bucket.date)) {
          notCompared++;
          const linked = em.targetOf[si] !== undefined || idMap.targetId(entity, s.sourceId) !== undefined;
          // Older than the window and never delivered: it would be lost silently.
          if (bucket.date < scope.from && !linked) neverDelivered++;
          // Within the window but on a day not read this time (an incremental read): the platform
          // holds it all the same, so the guard's percentages count it as a full read would.
          else if (linked && bucket.date >= scope.from && bucket.date <= scope.to) c.matched++;
          continue;
        }
        // Only some days were read: a record the platform has (id map) but the answer lacks was
        // not read, not deleted there. Creating it would make a duplicate; the next full read compares it.
        if (scope.classes && em.targetOf[si] === undefined && idMap.targetId(entity, s.sourceId) !== undefined) {
          notCompared++;
          twinsUnread++;
          c.matched++;
          continue;
        }
        datedInScope?.add(`${entity}\u0000${s.sourceId}`);
      }
      if (anyAmbiguous && em.ambiguous.has(s.sourceId)) {
        fate.set(s.sourceId, 'blocked');
        continue;
      }
      let problem: RefProblem | undefined;
      for (let i = 0; i < refs.length; i++) {
        const direct = directMaps[i];
        if (direct !== undefined) {
          const value = s[refs[i].field];
          if (value === undefined) {
            translated[i] = undefined;
            continue;
          }
          const tid = typeof value === 'string' ? direct.get(value) : undefined;
          if (tid !== undefined) {
            translated[i] = tid;
            continue;
          }
        }
        const r = resolveSourceRef(refs[i], s);
        if (typeof r === 'object') {
          translated[i] = undefined;
          problem = r;
          if (r.why !== 'waiting') break;
        } else translated[i] = r;
      }
      const t = em.targetOf[si];
      const tid = t?.sourceId;
      if (tid !== undefined) c.matched++;
      if (endsMembership && endsMembership(s)) {
        // A pupil who left (or moved on, by order): the platform's membership is ended by its
        // date, never deleted and re-created; once the platform no longer shows it, it is done.
        // A platform that marks an ended membership without a date (`ended`) shows it done too.
        if (t === undefined || tid === undefined || t.endDate === s.endDate || t.ended === true) {
          fate.set(s.sourceId, 'blocked');
          c.unchanged++;
          continue;
        }
        const changedFields = MOVEMENT_FIELDS.filter((f) => s[f] !== undefined && s[f] !== t[f]);
        if (canUpdate) {
          changes.push({ id: changeId(entity, 'update', s.sourceId), entity, op: 'update', sourceId: s.sourceId, targetId: tid, before: t as never, after: s as never, changedFields, phase: index });
          c.update++;
        } else manual(entity, 'update', s.sourceId, { targetId: tid, after: s, before: t, changedFields });
        continue;
      }
      // A person who makes a record by hand can make what it depends on first: a manual action
      // may depend on another one, a delivered change may not.
      const manualOnly = tid === undefined ? !canCreate : !canUpdate;
      if (problem && !(problem.why === 'waiting' && manualOnly)) {
        if (tid === undefined) fate.set(s.sourceId, 'blocked');
        findings.push(
          makeFinding('reconcile.missing_dependency', {
            entity,
            sourceId: s.sourceId,
            field: problem.field,
            severity: problem.why === 'waiting' ? 'warning' : undefined,
            detail: `${PROBLEM_TEXT[problem.why]}: ${ENTITY_LABELS[problem.entity]}, id ${problem.id}`,
          }),
        );
        continue;
      }
      if (t === undefined || tid === undefined) {
        if (canCreate) {
          fate.set(s.sourceId, 'create');
          const change: PlannedChange = { id: changeId(entity, 'create', s.sourceId), entity, op: 'create', sourceId: s.sourceId, after: s as never, phase: index };
          if (dated) Object.assign(change, dayAndGrade(entity, s, sourceIndex));
          changes.push(change);
          c.create++;
        } else {
          fate.set(s.sourceId, 'manual');
          manual(entity, 'create', s.sourceId, { after: s });
        }
        continue;
      }
      let changedFields: string[] | undefined;
      const unknownFields = rejectedFields?.get(s.sourceId);
      for (const f of plainFields) {
        if (unknownFields?.includes(f)) continue;
        const a = s[f] ?? (f in fallbacks ? s[fallbacks[f]] : undefined);
        if (a === undefined && platformFills.has(f)) continue;
        const b = t[f];
        if ((b === undefined || b === null || b === '') && platformOmits.has(f)) continue;
        // Raw equality first: normalising every field of millions of equal marks is what costs.
        if (a !== b && comparableValue(f, a) !== comparableValue(f, b)) (changedFields ??= []).push(f);
      }
      for (const { field, slot } of comparedRefs) {
        if (unknownFields?.includes(field)) continue;
        const raw = s[field];
        if ((raw === undefined || raw === null || raw === '') && platformFills.has(field)) continue;
        const a = translated[slot] ?? (raw === undefined || raw === null || raw === '' ? undefined : PENDING + String(raw));
        const b = t[field];
        if (a !== b && comparableValue(field, a) !== comparableValue(field, b)) (changedFields ??= []).push(field);
      }
      // A pupil who reappears where the platform shows the membership ended (without a date, so
      // no compared field differs): it is re-opened, not left ended.
      if (entity === 'memberships' && t.ended === true && s.endDate === undefined && !unknownFields?.includes('endDate')) (changedFields ??= []).push('endDate');
      if (changedFields === undefined) {
        c.unchanged++;
        continue;
      }
      if (comparedRefs.length && plainFields.length) changedFields.sort((x, y) => fields.indexOf(x) - fields.indexOf(y));
      if (canUpdate) {
        const change: PlannedChange = {
          id: changeId(entity, 'update', s.sourceId),
          entity,
          op: 'update',
          sourceId: s.sourceId,
          targetId: tid,
          before: t as never,
          after: s as never,
          changedFields,
          phase: index,
        };
        if (dated) Object.assign(change, dayAndGrade(entity, s, sourceIndex));
        changes.push(change);
        c.update++;
      } else {
        manual(entity, 'update', s.sourceId, { targetId: tid, after: s, before: t, changedFields });
      }
    }

    const pupilsLinked = byEntity.pupils.targetToSource;
    for (let ti = 0; ti < targets.length; ti++) {
      const t = targets[ti];
      if (scope && dated) {
        if (!targetInScope(entity, t)) continue;
        if (datedInScope) {
          const twin = idMap.sourceId(entity, t.sourceId);
          if (twin !== undefined) datedInScope.add(`${entity}\u0000${twin}`);
        }
      }
      if (em.isTargetLinked(ti)) continue;
      const sid = idMap.sourceId(entity, t.sourceId);
      if (sid === undefined || sourceHas(entity, sid)) {
        unmatchedTarget[entity]++;
        continue;
      }
      c.matched++;
      if (incomplete && !explicitlyDeleted?.has(sid)) {
        // Absent from a source that is not complete: unknown, not deleted.
        keptUnknown++;
        c.unchanged++;
        continue;
      }
      // Already ended on the platform (history kept): nothing to archive.
      if (entity === 'memberships' && t.ended === true) {
        c.unchanged++;
        continue;
      }
      if (em.ambiguousTargets.has(t.sourceId) || (PUPIL_HISTORY.has(entity) && !pupilsLinked.has(String(t.pupilId)))) {
        c.unchanged++;
        continue;
      }
      if (canArchive) {
        const change: PlannedChange = {
          id: uniqueArchiveId(changeId(entity, 'archive', sid), t.sourceId),
          entity,
          op: 'archive',
          sourceId: sid,
          targetId: t.sourceId,
          before: t as never,
          phase: archivePhase(index),
        };
        if (dated) Object.assign(change, dayAndGrade(entity, t, targetIndex));
        archives[index].push(change);
        c.archive++;
      } else {
        manual(entity, 'archive', sid, { targetId: t.sourceId, before: t });
      }
    }

    if (keptUnknown > 0)
      findings.push(makeFinding('reconcile.source_incomplete', { entity, detail: `${ENTITY_LABELS[entity]}: ${keptUnknown}` }));
    if (unmatchedTarget[entity] > 0)
      findings.push(makeFinding('reconcile.unmatched_target', { entity, detail: `${ENTITY_LABELS[entity]}: ${unmatchedTarget[entity]}` }));
    if (c.manual > 0) findings.push(makeFinding('manual.action_required', { entity, detail: `${ENTITY_LABELS[entity]}: ${c.manual}` }));
  }

  if (neverDelivered > 0) findings.push(makeFinding('reconcile.outside_window', { detail: `${neverDelivered}; окно сверки с ${scope!.from}` }));
  for (let i = archives.length - 1; i >= 0; i--) for (const a of archives[i]) changes.push(a);
  for (const f of findings) if (f.entity) counts[f.entity].findings++;
  const newMatches = matched.matches.filter((m) => m.method !== 'id_map');
  const dated = scope ? { datedRead: { notCompared, twinsUnread, ...(datedInScope ? { inScope: datedInScope } : {}) } } : {};
  return { changes, manualActions, findings, matches: newMatches, counts, unmatchedTarget, ...dated };
}

function toSafe(id: string): string {
  return id.replace(/[^A-Za-z0-9_.-]/g, '_');
}
