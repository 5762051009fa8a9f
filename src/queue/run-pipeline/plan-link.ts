import type { LinkConfig } from '../../config/link-config';
import { addDays, localDateOf, type Finding, type Snapshot } from '../../model';
import { effectivePeriods, guard, idMapFromEntries, plan, sourceGapsOf, type GuardResult } from '../../reconcile';
import type { ExportRef } from '../../store';
import type { PipelineContext } from './pipeline-context';
import { screenPlan } from './screen-plan';

/** How far ahead of today dated platform records are read (planned lessons). @defaultValue 30 days */
const READ_AHEAD_DAYS = 30;

export type LinkPlan =
  | { kind: 'source_unreadable'; sourceFindings: Finding[]; sourceExport?: ExportRef }
  | {
      kind: 'planned';
      source: Snapshot;
      /** The platform as read (canonical, platform ids): what changes and manual actions are described by. */
      target: Snapshot;
      sourceFindings: Finding[];
      /** The guarded plan: `guarded.plan` is what would be delivered. */
      guarded: GuardResult;
      /** Every finding in report order: source, platform read, plan, guard. */
      findings: Finding[];
      environment: 'live' | 'emulator';
      baseUrl: string;
      /** The kept (uploaded) export planned from; absent when the link's `source.path` was read. */
      sourceExport?: ExportRef;
    };

/**
 * Reads a link's source and platform, diffs them through the stored id map and guards the plan.
 * Writes nothing: the planning job stages the result, `ejsync plan` only reports it. Platform
 * read failures are thrown (the caller decides whether to retry).
 */
export async function planLink(
  ctx: Pick<PipelineContext, 'store' | 'readSource' | 'connectorFor' | 'now'>,
  link: LinkConfig,
  /** Turns the school as read into the school to plan for (a rollover: the new year). */
  transformSource?: (snapshot: Snapshot) => Snapshot,
): Promise<LinkPlan> {
  const now = ctx.now?.() ?? new Date();
  const read = await ctx.readSource(link);
  const source = read.snapshot && transformSource ? { ...read, snapshot: transformSource(read.snapshot) } : read;
  const sourceExport = source.sourceExport ? { sourceExport: source.sourceExport } : {};
  if (!source.snapshot) return { kind: 'source_unreadable', sourceFindings: source.findings, ...sourceExport };
  const connector = await ctx.connectorFor(link);
  const today = localDateOf(now, link.school.timeZone);
  const target = await connector.readSnapshot({ schoolId: link.target.schoolId, from: addDays(today, -link.windowDays), to: addDays(today, READ_AHEAD_DAYS) });
  const idMap = idMapFromEntries(await ctx.store.idMap.all(link.id));
  const gaps = sourceGapsOf(source);
  const unscreened = plan(source.snapshot, target.snapshot, idMap, {
    capabilities: connector.capabilities,
    comparableFields: connector.comparableFields,
    comparison: connector.comparison,
    gaps,
    today,
  });
  // What the platform cannot take (a mark outside the school's mark system) is a finding, never sent.
  const planned = await screenPlan(connector, unscreened);
  const locked = new Set((await ctx.store.periodLocks.forLink(link.id)).map((l) => l.periodId));
  const periods = effectivePeriods(source.snapshot.periods, target.snapshot.periods, idMap, locked);
  const guarded = guard(planned, { periods, policy: link.policy, now, timeZone: link.school.timeZone, sourceFindings: source.findings, sourceGaps: gaps });
  return {
    kind: 'planned',
    source: source.snapshot,
    target: target.snapshot,
    sourceFindings: source.findings,
    guarded,
    findings: [...source.findings, ...target.findings, ...guarded.plan.findings, ...guarded.reasons],
    environment: connector.environment,
    baseUrl: connector.baseUrl,
    ...sourceExport,
  };
}
