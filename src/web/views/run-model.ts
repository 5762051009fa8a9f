import { effectiveFromText, notYetInEffect } from './effective-from';
import type { LinkConfig } from '../../config/link-config';
import { ENTITY_ORDER } from '../../model';
import type { LinkRecord, ManualActionMark, ManualActionStatus, RunRecord, StoredFinding } from '../../store';
import type { ChangeRef, LastAttempt } from '../../store/repositories/dashboard-queries';
import { canActOnSchool, isOperator, type Principal } from '../auth/roles';
import type { DashboardBackend } from '../dashboard-backend';
import { personalDataView } from '../privacy/personal-data';
import { availableRunActions, type RunActionName } from '../actions/run-actions';
import { errorText } from './error-text';
import { fixAdvice, readerHint, type Fixer } from './fix-advice';
import { readableChange, type ReadableChange } from './readable-change';
import { boardJobUrl, deliveryJobId } from './job-link';
import { deliveredOf, planOf, progressOf } from './run-counts';

export interface EntityRow {
  entity: string;
  planned: { create: number; update: number; archive: number; unchanged: number; manual: number; findings: number };
  delivered: { applied: number; failed: number; pending: number };
}

export interface FailedChange extends ChangeRef {
  last: LastAttempt | null;
  /** What the platform answered last, as the queue recorded it (its own words; ids only). */
  platformAnswer: string | null;
  /** The delivery's job on the queue board (operators only). */
  jobUrl: string | null;
  /** What the change is, in school terms. */
  readable: ReadableChange | null;
  /** Manual actions of the link about the same pupil still to do: often the fix. */
  fixes: { actionId: string; title: string; status: string }[];
}

export interface FailureCodeGroup {
  code: string;
  message: string;
  /** What to do, in words for the reader's role. */
  hint: string;
  retryable: boolean;
  /** Who can remove the cause. */
  fixer: Fixer;
  fixerLabel: string;
  changes: FailedChange[];
}

export interface ManualGroup {
  title: string;
  entity: string;
  reason: string;
  actions: ManualItem[];
  /** How many of the group's actions are still open. */
  open: number;
}

export interface ManualItem {
  actionId: string;
  sourceId: string;
  /** The pupil concerned (МИС id): a link to the pupil's page. */
  pupilId: string | null;
  /** Open longer than the worklist's limit. */
  overdue: boolean;
  /** Open since. */
  since: Date | null;
  /** Personal data was removed when the store was converted; the next run fills it in. */
  redacted: boolean;
  status: ManualActionStatus;
  /** Who marked it done and when (from the audit trail); null while open. */
  doneBy: string | null;
  doneAt: Date | null;
  fields: { label: string; value: string; previous?: string }[];
}

export interface StagedGroup {
  entity: string;
  op: string;
  count: number;
  rows: ReadableChange[];
}

/** Changes the guard held back for a person's decision (a closed period), by period. */
export interface HeldBack {
  count: number;
  items: { entity: string; sourceId: string | null; message: string }[];
}

export interface RunModel {
  run: RunRecord;
  link: LinkRecord | null;
  mayAct: boolean;
  showNames: boolean;
  entities: EntityRow[];
  progress: ReturnType<typeof progressOf>;
  failures: FailureCodeGroup[];
  failedTotal: number;
  manual: ManualGroup[];
  manualTotal: number;
  /** Manual actions not yet marked done. */
  manualOpen: number;
  findings: StoredFinding[];
  heldReasons: { code: string; message: string; hint: string; entity?: string }[];
  staged: StagedGroup[];
  /** Changes in closed periods not sent: they wait for a decision (period reopened by order, or the МИС fixed). */
  heldBack: HeldBack;
  /** Name of the school (from its roster), else its id. */
  schoolName: string;
  actions: RunActionName[];
  rollbackOf: string | null;
  /**
   * Deliveries the platform accepted but not yet in effect (a daily cut-off), per kind of record
   * and day, with when they take effect as the school reads it («23.11.2026 00:00», school zone).
   */
  acceptedLater: { entity: string; n: number; effectiveFrom: string; text: string }[];
}

const STAGED_ROWS_PER_GROUP = 40;
/** The zone of a run whose link is gone (its school's zone is unknown). */
const SCHOOL_ZONE_FALLBACK = 'Europe/Moscow';

function acceptedLaterOf(rows: { entity: string; effectiveFrom: string; n: number }[], timeZone: string, now: Date): RunModel['acceptedLater'] {
  return rows
    .filter((r) => notYetInEffect(r.effectiveFrom, now, timeZone))
    .sort((a, b) => a.effectiveFrom.localeCompare(b.effectiveFrom) || order(a.entity) - order(b.entity))
    .map((r) => ({ ...r, text: `принято, вступит в силу с ${effectiveFromText(r.effectiveFrom, timeZone)}` }));
}
/** A manual action open this many days is flagged. @defaultValue 7 */
export const MANUAL_OVERDUE_DAYS = 7;
const order = (e: string) => {
  const i = (ENTITY_ORDER as readonly string[]).indexOf(e);
  return i < 0 ? 99 : i;
};

/** A run as its page and `GET /api/runs/{id}` show it, personal data masked for the person. */
export async function runModel(backend: DashboardBackend, p: Principal, run: RunRecord, options: { findingsLimit?: number; now?: Date } = {}): Promise<RunModel> {
  const { store, queries } = backend;
  const view = personalDataView(p, run.schoolId);
  const [link, counts, failed, failedChanges, manual, findings, people, schools, worklist, later] = await Promise.all([
    store.links.get(run.linkId),
    store.changes.counts(run.id),
    queries.openFailures({ runId: run.id }),
    store.changes.list(run.id, { status: 'failed', limit: 5000 }),
    store.manualActions.forRun(run.id),
    store.findings.forRun(run.id, options.findingsLimit ?? 500),
    backend.peopleView(p, run.linkId, run.schoolId),
    backend.schoolNames(),
    store.manualActions.worklist({ linkIds: [run.linkId], statuses: ['open'], limit: 5000 }),
    store.deliveries.acceptedForLaterByEntity(run.id),
  ]);
  const readableFailed = new Map(failedChanges.map((c) => [c.changeId, readableChange(c, people, view)]));
  const fixesByPupil = new Map<string, { actionId: string; title: string; status: string }[]>();
  for (const w of worklist.rows) if (w.pupilId) fixesByPupil.set(w.pupilId, [...(fixesByPupil.get(w.pupilId) ?? []), { actionId: w.actionId, title: w.title, status: w.status }]);
  const last = await queries.lastAttempts(
    run.id,
    failed.map((f) => f.changeId),
  );

  const plan = planOf(run);
  const delivered = deliveredOf(run);
  const live = new Map<string, { applied: number; failed: number; pending: number }>();
  for (const c of counts) {
    const row = live.get(c.entity) ?? { applied: 0, failed: 0, pending: 0 };
    if (c.status === 'applied') row.applied += c.n;
    else if (c.status === 'pending') row.pending += c.n;
    else row.failed += c.n;
    live.set(c.entity, row);
  }
  const entities: EntityRow[] = [...new Set([...Object.keys(plan), ...live.keys(), ...Object.keys(delivered)])]
    .map((entity) => {
      const pc = plan[entity] ?? {};
      return {
        entity,
        planned: { create: pc.create ?? 0, update: pc.update ?? 0, archive: pc.archive ?? 0, unchanged: pc.unchanged ?? 0, manual: pc.manual ?? 0, findings: pc.findings ?? 0 },
        delivered: live.get(entity) ?? { applied: 0, failed: 0, pending: 0 },
      };
    })
    .filter((r) => r.planned.create + r.planned.update + r.planned.archive + r.planned.manual + r.planned.findings + r.delivered.applied + r.delivered.failed + r.delivered.pending > 0)
    .sort((a, b) => order(a.entity) - order(b.entity));

  const config = link?.config as LinkConfig | undefined;
  const queueName = config ? backend.deliveryQueueOf(config) : null;
  const jobIdOf = (changeId: string, attempts: number) => deliveryJobId(run.id, changeId, Math.max(0, attempts - 1));
  const answers = queueName ? await backend.jobFailures(queueName, failed.slice(0, 300).map((f) => jobIdOf(f.changeId, f.attempts))).catch(() => new Map<string, string>()) : new Map<string, string>();
  const groups = new Map<string, FailureCodeGroup>();
  for (const f of failed) {
    const code = f.code ?? 'delivery.failed';
    let g = groups.get(code);
    if (!g) {
      const advice = fixAdvice(p, code);
      groups.set(code, (g = { code: advice.code, message: advice.message, hint: advice.hint, retryable: advice.retryable, fixer: advice.fixer, fixerLabel: advice.fixerLabel, changes: [] }));
    }
    const attempt = last.get(f.changeId) ?? null;
    const readable = readableFailed.get(f.changeId) ?? null;
    g.changes.push({
      changeId: f.changeId,
      entity: f.entity,
      op: f.op,
      sourceId: f.sourceId,
      targetId: f.targetId,
      attempts: f.attempts,
      last: attempt,
      platformAnswer: attempt?.detail ?? answers.get(jobIdOf(f.changeId, f.attempts)) ?? null,
      jobUrl: isOperator(p) && queueName ? boardJobUrl(queueName, jobIdOf(f.changeId, f.attempts)) : null,
      readable,
      fixes: readable?.pupilId ? (fixesByPupil.get(readable.pupilId) ?? []) : [],
    });
  }

  const marks = manual.some((a) => a.status === 'done') ? await store.manualActions.doneMarks(run.id) : new Map<string, ManualActionMark>();
  const manualGroups = new Map<string, ManualGroup>();
  for (const a of manual) {
    const key = `${a.entity}\u0000${a.title}`;
    let g = manualGroups.get(key);
    if (!g) manualGroups.set(key, (g = { title: a.title, entity: a.entity, reason: a.reason, actions: [], open: 0 }));
    const mark = a.status === 'done' ? marks.get(a.actionId) : undefined;
    if (a.status === 'open') g.open++;
    const since = a.firstSeenAt ?? null;
    g.actions.push({
      actionId: a.actionId,
      sourceId: a.sourceId,
      pupilId: a.pupilId ?? null,
      since,
      overdue: a.status === 'open' && !!since && (options.now ?? new Date()).getTime() - since.getTime() >= MANUAL_OVERDUE_DAYS * 86_400_000,
      redacted: !!a.redacted,
      status: a.status,
      doneBy: mark?.actorName ?? null,
      doneAt: mark?.at ?? null,
      fields: a.fields.map((f) => ({ label: f.label, value: view.labelled(f.label, f.value), ...(f.previous !== undefined ? { previous: view.labelled(f.label, f.previous) } : {}) })),
    });
  }

  const staged: StagedGroup[] = [];
  if (run.status === 'held') {
    const pending = await store.changes.list(run.id, { status: 'pending' });
    const byGroup = new Map<string, StagedGroup>();
    for (const c of pending) {
      const key = `${c.entity}/${c.op}`;
      let g = byGroup.get(key);
      if (!g) byGroup.set(key, (g = { entity: c.entity, op: c.op, count: 0, rows: [] }));
      g.count++;
      if (g.rows.length < STAGED_ROWS_PER_GROUP) {
        g.rows.push(readableChange(c, people, view));
      }
    }
    staged.push(...[...byGroup.values()].sort((a, b) => order(a.entity) - order(b.entity) || a.op.localeCompare(b.op)));
  }

  const heldReasons = (run.heldReasons as { code?: string; message?: string; hint?: string; entity?: string }[]).map((r) => ({
    ...errorText(r.code),
    ...(r.message ? { message: r.message } : {}),
    // The school's staff read what they can do, not the configuration the operator would change.
    hint: readerHint(p, r.code, r.hint),
    ...(r.entity ? { entity: r.entity } : {}),
  }));
  const failedTotal = failed.length;
  const closed = findings.filter((f) => f.code === 'period.closed');
  const heldBack: HeldBack = {
    count: Math.max(Number((run.summary as { heldBack?: number }).heldBack ?? 0), closed.length),
    items: closed.slice(0, 200).map((f) => ({ entity: f.entity ?? '', sourceId: f.sourceId ?? null, message: view.labelled('', f.message) })),
  };
  return {
    run,
    link,
    mayAct: canActOnSchool(p, run.schoolId),
    showNames: view.showNames,
    entities,
    progress: progressOf(counts),
    failures: [...groups.values()].sort((a, b) => b.changes.length - a.changes.length),
    failedTotal,
    manual: [...manualGroups.values()].sort((a, b) => order(a.entity) - order(b.entity) || a.title.localeCompare(b.title, 'ru')),
    manualTotal: manual.length,
    manualOpen: manual.filter((a) => a.status === 'open').length,
    findings: findings.map((f) => ({ ...f, message: view.labelled('', f.message), hint: readerHint(p, f.code, f.hint), ...(f.sourceId ? { sourceId: f.sourceId } : {}) })),
    heldReasons,
    staged,
    heldBack,
    schoolName: schools.get(run.schoolId) ?? run.schoolId,
    actions: canActOnSchool(p, run.schoolId) ? availableRunActions(run, failedTotal) : [],
    rollbackOf: ((run.summary as { rollbackOf?: string }).rollbackOf ?? run.parentRunId) || null,
    acceptedLater: acceptedLaterOf(later, (link?.config as LinkConfig | undefined)?.school.timeZone ?? SCHOOL_ZONE_FALLBACK, options.now ?? new Date()),
  };
}
