import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { FINDING_COLUMNS, MANUAL_ACTION_COLUMNS, writeTableFile, type TableFormat } from '../export';
import { ChangeContextBuilder, schoolRoster } from '../reconcile/change-context';
import { RUN_CHANGE_COLUMNS } from '../web/exports/dashboard-columns';
import { PeopleView } from '../web/people/people-directory';
import { personalDataView } from '../web/privacy/personal-data';
import { readableChange, type ReadableChange } from '../web/views/readable-change';
import type { LinkConfig } from '../config/link-config';
import type { LinkPlan } from '../queue/run-pipeline/plan-link';

type Planned = Extract<LinkPlan, { kind: 'planned' }>;

/** What the run would become: `planned` (would be delivered), `held` or `cancelled` (refused). */
export function plannedStatus(plan: Planned): 'planned' | 'held' | 'cancelled' {
  if (plan.guarded.decision === 'refuse') return 'cancelled';
  return plan.guarded.held ? 'held' : 'planned';
}

/** The run report shape (`runs[]` of `demo`/`sync`) for a plan that was not run. */
export function planJson(link: LinkConfig, plan: Planned, reportDir: string | null, now: Date) {
  const kept = plan.guarded.plan;
  return {
    id: null,
    linkId: link.id,
    schoolId: link.school.sourceId,
    kind: 'plan',
    status: plannedStatus(plan),
    trigger: 'person',
    environment: plan.environment,
    writes: 0,
    counts: kept.counts,
    delivered: {},
    heldReasons: plan.guarded.reasons,
    errorCode: plan.guarded.reasons[0]?.code ?? null,
    decision: plan.guarded.decision,
    changes: kept.changes.length,
    manualActions: kept.manualActions.length,
    withheld: plan.guarded.withheld.length,
    unmatchedTarget: kept.unmatchedTarget,
    findings: plan.findings.length,
    findingErrors: plan.findings.filter((f) => f.severity === 'error').length,
    reportDir,
    createdAt: now.toISOString(),
    finishedAt: null,
  };
}

/**
 * A plan's changes as the school reads them (the report stays on the administrator's computer:
 * names shown, СНИЛС masked), in the dashboard's run report columns.
 */
function readableChanges(link: LinkConfig, plan: Planned): ReadableChange[] {
  const kept = plan.guarded.plan;
  const builder = new ChangeContextBuilder(plan.source, plan.target, kept.matches);
  const people = new PeopleView(schoolRoster(plan.source, plan.target, kept.matches), true);
  const view = personalDataView({ oid: 'cli', displayName: '', roles: ['school_admin'], schoolIds: [link.school.sourceId] }, link.school.sourceId);
  return kept.changes.map((c, seq) =>
    readableChange(
      { runId: '', changeId: c.id, seq, phase: c.phase, entity: c.entity, op: c.op, sourceId: c.sourceId, targetId: c.targetId ?? null, before: c.before ?? null, after: c.after ?? null, changedFields: c.changedFields ?? null, status: 'pending', attempts: 0, lastErrorCode: null, delivered: null, context: builder.of(c) },
      people,
      view,
    ),
  );
}

/**
 * Writes the full plan report into a folder: `plan.json` (everything, for programs), and the
 * changes, manual actions and findings as tables (`.xlsx` or `.csv` with BOM, for people).
 */
export async function writePlanReport(dir: string, link: LinkConfig, plan: Planned, format: TableFormat, now: Date): Promise<string[]> {
  await mkdir(dir, { recursive: true });
  const kept = plan.guarded.plan;
  const files = {
    json: path.join(dir, 'plan.json'),
    changes: path.join(dir, `changes.${format}`),
    manual: path.join(dir, `manual-actions.${format}`),
    findings: path.join(dir, `findings.${format}`),
  };
  const full = {
    ...planJson(link, plan, dir, now),
    changes: kept.changes,
    withheld: plan.guarded.withheld,
    manualActions: kept.manualActions,
    findings: plan.findings,
  };
  await writeFile(files.json, JSON.stringify(full, null, 2) + '\n');
  await writeTableFile(files.changes, 'Изменения', RUN_CHANGE_COLUMNS, readableChanges(link, plan));
  await writeTableFile(files.manual, 'Ручные действия', MANUAL_ACTION_COLUMNS, kept.manualActions);
  await writeTableFile(files.findings, 'Замечания', FINDING_COLUMNS, plan.findings);
  return Object.values(files);
}

/** `plan-<link>-20261125-130405` (UTC), a folder name that sorts by time. */
export function reportFolderName(linkId: string, now: Date): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return `plan-${linkId}-${stamp}`;
}
