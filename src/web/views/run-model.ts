import type { LinkConfig } from '../../config/link-config';
import { ENTITY_ORDER } from '../../model';
import type { LinkRecord, ManualActionMark, ManualActionStatus, RunRecord, StoredFinding } from '../../store';
import type { ChangeRef, LastAttempt } from '../../store/repositories/dashboard-queries';
import { canActOnSchool, isOperator, type Principal } from '../auth/roles';
import type { DashboardBackend } from '../dashboard-backend';
import { personalDataView, type PersonalDataView } from '../privacy/personal-data';
import { availableRunActions, type RunActionName } from '../actions/run-actions';
import { errorText } from './error-text';
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
}

export interface FailureCodeGroup {
  code: string;
  message: string;
  hint: string;
  retryable: boolean;
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
  rows: { changeId: string; sourceId: string; targetId: string | null; changedFields: string[]; before: Record<string, unknown> | null; after: Record<string, unknown> | null }[];
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
  actions: RunActionName[];
  rollbackOf: string | null;
}

const STAGED_ROWS_PER_GROUP = 40;
const order = (e: string) => {
  const i = (ENTITY_ORDER as readonly string[]).indexOf(e);
  return i < 0 ? 99 : i;
};

function maskRecord(view: PersonalDataView, value: unknown): Record<string, unknown> | null {
  return value && typeof value === 'object' ? view.record(value as Record<string, unknown>) : null;
}

/** A run as its page and `GET /api/runs/{id}` show it, personal data masked for the person. */
export async function runModel(backend: DashboardBackend, p: Principal, run: RunRecord, options: { findingsLimit?: number } = {}): Promise<RunModel> {
  const { store, queries } = backend;
  const view = personalDataView(p, run.schoolId);
  const [link, counts, failed, manual, findings] = await Promise.all([
    store.links.get(run.linkId),
    store.changes.counts(run.id),
    queries.openFailures({ runId: run.id }),
    store.manualActions.forRun(run.id),
    store.findings.forRun(run.id, options.findingsLimit ?? 500),
  ]);
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
    if (!g) groups.set(code, (g = { ...errorText(code), changes: [] }));
    const attempt = last.get(f.changeId) ?? null;
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
    g.actions.push({
      actionId: a.actionId,
      sourceId: a.sourceId,
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
        g.rows.push({ changeId: c.changeId, sourceId: c.sourceId, targetId: c.targetId, changedFields: c.changedFields ?? [], before: maskRecord(view, c.before), after: maskRecord(view, c.after) });
      }
    }
    staged.push(...[...byGroup.values()].sort((a, b) => order(a.entity) - order(b.entity) || a.op.localeCompare(b.op)));
  }

  const heldReasons = (run.heldReasons as { code?: string; message?: string; hint?: string; entity?: string }[]).map((r) => ({
    ...errorText(r.code),
    ...(r.message ? { message: r.message } : {}),
    ...(r.hint ? { hint: r.hint } : {}),
    ...(r.entity ? { entity: r.entity } : {}),
  }));
  const failedTotal = failed.length;
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
    findings: findings.map((f) => ({ ...f, message: view.labelled('', f.message), ...(f.sourceId ? { sourceId: f.sourceId } : {}) })),
    heldReasons,
    staged,
    actions: canActOnSchool(p, run.schoolId) ? availableRunActions(run, failedTotal) : [],
    rollbackOf: ((run.summary as { rollbackOf?: string }).rollbackOf ?? run.parentRunId) || null,
  };
}
