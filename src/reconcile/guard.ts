import { ENTITY_LABELS, ENTITY_ORDER, makeFinding, type EntityCollection, type Finding, type ReportingPeriod } from '../model';
import { describeWindow, localDateTime, windowActive } from './date-windows';
import { thresholdsFor, type GuardPolicy } from './guard-policy';
import type { EntityPlanCounts, ManualAction, Plan, PlannedChange } from './plan-types';
import { russianDate } from './russian-labels';
import type { SourceGaps } from './source-gaps';

export interface GuardContext {
  /** Reporting periods with their `closed` flags (dates and grades are what count). */
  periods: readonly ReportingPeriod[];
  policy: GuardPolicy;
  /** The moment of the run: a Date or an ISO instant with an offset. */
  now: Date | string;
  /** The school's IANA zone: it decides the day of `now`. */
  timeZone: string;
  /**
   * The source read's findings: errors hold the run (or refuse it when a required part is missing)
   * unless the policy allows delivering what is valid.
   * @defaultValue none
   */
  sourceFindings?: readonly Finding[];
  /** What the source could not vouch for: with `deliver_valid`, unknown reporting periods still hold the run. @defaultValue none */
  sourceGaps?: Pick<SourceGaps, 'incomplete'>;
}

/** Source findings that mean a part of the export required to plan at all is missing: the run is refused. */
const MISSING_REQUIRED_PART: ReadonlySet<string> = new Set(['mis.missing_file', 'mis.school_missing', 'oneroster.missing_file', 'oneroster.school_missing']);

/** `mis.invalid_snils ×3, mis.unknown_reference ×1`: what a reason names, codes only. */
function codeTally(findings: readonly Finding[]): string {
  const tally = new Map<string, number>();
  for (const f of findings) tally.set(f.code, (tally.get(f.code) ?? 0) + 1);
  return [...tally].map(([code, n]) => `${code} ×${n}`).join(', ');
}

export type GuardDecision = 'proceed' | 'hold' | 'refuse';

export interface GuardResult {
  /** True when the run must wait for a human (`hold`) or must not run (`refuse`). */
  held: boolean;
  decision: GuardDecision;
  /** Every finding of the guard: why the run is held or refused, and what was taken out of the plan. */
  reasons: Finding[];
  /** The plan to deliver: without changes in closed periods and deferred archives. */
  plan: Plan;
  /** Changes taken out of the plan (closed periods, archives deferred by the additions-only window). */
  withheld: PlannedChange[];
}

/** Collections that closing a period freezes. */
const FROZEN_BY_PERIOD: ReadonlySet<EntityCollection> = new Set(['marks', 'attendance']);

const OP_WORDS = { create: 'создание', update: 'изменение', archive: 'удаление' } as const;

const percent = (n: number) => n.toLocaleString('ru-RU', { maximumFractionDigits: 1 });

/**
 * Applies a link's policy to a plan: errors in the source hold the run (a missing required file
 * refuses it) unless the policy delivers what is valid; blackout windows refuse or hold the run; marks and absences
 * dated in a closed period leave the plan as `period.closed` findings; inside an additions-only
 * window archives are deferred (or the run held); per-collection thresholds (more than 10 %
 * archived — by ejsync or by hand — or 75 % updated by default) hold the run for a human. Pure.
 */
export function guard(plan: Plan, context: GuardContext): GuardResult {
  const now = typeof context.now === 'string' ? new Date(context.now) : context.now;
  const { date: today, time } = localDateTime(now, context.timeZone);
  const policy = context.policy;
  const reasons: Finding[] = [];
  const withheld: PlannedChange[] = [];
  let decision: GuardDecision = 'proceed';
  const escalate = (d: GuardDecision) => {
    if (d === 'refuse' || (d === 'hold' && decision === 'proceed')) decision = d;
  };

  const sourceErrors = (context.sourceFindings ?? []).filter((f) => f.severity === 'error');
  if (sourceErrors.length > 0) {
    const missing = sourceErrors.filter((f) => MISSING_REQUIRED_PART.has(f.code));
    if (missing.length > 0) {
      reasons.push(makeFinding('guard.source_incomplete', { detail: missing.map((f) => f.file ?? f.code).join(', ') }));
      escalate('refuse');
    } else if (policy.sourceErrors === 'deliver_valid' && context.sourceGaps?.incomplete.has('periods')) {
      // Closed periods cannot be checked against periods the export did not give.
      reasons.push(makeFinding('guard.source_errors', { detail: `ошибки в отчётных периодах: закрытые периоды не проверить (${codeTally(sourceErrors)})` }));
      escalate('hold');
    } else if (policy.sourceErrors === 'deliver_valid') {
      reasons.push(makeFinding('guard.source_errors', { severity: 'warning', detail: `ошибок: ${sourceErrors.length} (${codeTally(sourceErrors)}); по политике передаётся только верное, отклонённые записи не передаются и не удаляются` }));
    } else {
      reasons.push(makeFinding('guard.source_errors', { detail: `ошибок: ${sourceErrors.length} (${codeTally(sourceErrors)})` }));
      escalate('hold');
    }
  }

  for (const w of policy.blackout.windows) {
    if (!windowActive(w, today, time)) continue;
    reasons.push(makeFinding('guard.blackout', { detail: describeWindow(w) }));
    escalate(policy.blackout.action);
  }

  const closed = context.periods.filter((p) => p.closed);
  const closedPeriodOf = (entity: EntityCollection, dates: (unknown)[], grade: number | undefined): ReportingPeriod | undefined => {
    if (!FROZEN_BY_PERIOD.has(entity) || closed.length === 0) return undefined;
    for (const d of dates) {
      if (typeof d !== 'string') continue;
      const hit = closed.find((p) => d >= p.startDate && d <= p.endDate && (grade === undefined || p.grades.includes(grade)));
      if (hit) return hit;
    }
    return undefined;
  };
  const closedFinding = (entity: EntityCollection, sourceId: string, what: string, p: ReportingPeriod) =>
    makeFinding('period.closed', {
      entity,
      sourceId,
      detail: `${what}, период «${p.name}» (${russianDate(p.startDate)}–${russianDate(p.endDate)})`,
    });

  const additionsOnly = policy.additionsOnly.windows.filter((w) => windowActive(w, today, time));
  const deferArchives = additionsOnly.length > 0 && policy.additionsOnly.archives === 'defer';
  const deferred = new Map<EntityCollection, number>();

  const changes: PlannedChange[] = [];
  for (const change of plan.changes) {
    const before = change.before as { date?: unknown } | undefined;
    const p = closedPeriodOf(change.entity, [change.date, before?.date], change.grade);
    if (p) {
      reasons.push(closedFinding(change.entity, change.sourceId, OP_WORDS[change.op], p));
      withheld.push(change);
    } else if (deferArchives && change.op === 'archive') {
      deferred.set(change.entity, (deferred.get(change.entity) ?? 0) + 1);
      withheld.push(change);
    } else changes.push(change);
  }
  const manualActions: ManualAction[] = [];
  for (const action of plan.manualActions) {
    const p = closedPeriodOf(action.entity, [action.date], action.grade);
    if (p) reasons.push(closedFinding(action.entity, action.sourceId, `ручное действие «${OP_WORDS[action.op]}»`, p));
    else if (deferArchives && action.op === 'archive') deferred.set(action.entity, (deferred.get(action.entity) ?? 0) + 1);
    else manualActions.push(action);
  }

  if (additionsOnly.length > 0) {
    const archiveCount = plan.changes.filter((c) => c.op === 'archive').length + plan.manualActions.filter((a) => a.op === 'archive').length;
    if (archiveCount > 0) {
      const window = additionsOnly.map(describeWindow).join('; ');
      if (deferArchives) {
        const parts = [...deferred].map(([e, n]) => `${ENTITY_LABELS[e]}: ${n}`).join(', ');
        reasons.push(makeFinding('guard.additions_only', { detail: `окно ${window}; отложено: ${parts}` }));
      } else {
        reasons.push(makeFinding('guard.additions_only', { detail: `окно ${window}; к архивации: ${archiveCount}` }));
        escalate('hold');
      }
    }
  }

  const counts = {} as Record<EntityCollection, EntityPlanCounts>;
  for (const e of ENTITY_ORDER) counts[e] = { ...plan.counts[e], create: 0, update: 0, archive: 0, manual: 0 };
  // Whatever removes a record from the journal counts against the archive threshold, whether
  // ejsync sends it or a person is asked to do it by hand.
  const removals = {} as Record<EntityCollection, number>;
  for (const e of ENTITY_ORDER) removals[e] = 0;
  // Ending a membership (a leaver) takes a pupil out of a class: it counts as a removal too.
  const removes = (op: string, entity: EntityCollection, fields: readonly string[] | undefined) => op === 'archive' || (entity === 'memberships' && !!fields?.includes('endDate'));
  for (const c of changes) {
    counts[c.entity][c.op]++;
    if (removes(c.op, c.entity, c.changedFields)) removals[c.entity]++;
  }
  for (const a of manualActions) {
    counts[a.entity].manual++;
    if (removes(a.op, a.entity, a.changedFields)) removals[a.entity]++;
  }

  for (const entity of ENTITY_ORDER) {
    const c = counts[entity];
    if (c.matched === 0) continue;
    const t = thresholdsFor(policy, entity);
    const check = (n: number, limit: number, code: 'guard.threshold_archive' | 'guard.threshold_update', what: string) => {
      if (n < Math.max(1, t.minimumChanges) || n * 100 <= limit * c.matched) return;
      reasons.push(
        makeFinding(code, {
          entity,
          detail: `${ENTITY_LABELS[entity]}: ${what} ${n} из ${c.matched} (${percent((n * 100) / c.matched)} %), порог ${percent(limit)} %`,
        }),
      );
      escalate('hold');
    };
    check(removals[entity], t.archivePercent, 'guard.threshold_archive', 'к архивации');
    check(c.update, t.updatePercent, 'guard.threshold_update', 'к изменению');
  }

  return {
    held: decision !== 'proceed',
    decision,
    reasons,
    plan: { ...plan, changes, manualActions, counts },
    withheld,
  };
}
