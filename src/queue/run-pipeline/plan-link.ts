import type { LinkConfig } from '../../config/link-config';
import { localDateOf, type Finding, type Snapshot } from '../../model';
import {
  chooseDatedRead,
  datedFingerprint,
  datedWindow,
  effectivePeriods,
  guard,
  idMapFromEntries,
  nextDatedReadState,
  parseDatedReadState,
  plan,
  sourceGapsOf,
  DATED_ENTITIES,
  type DatedReadDecision,
  type DatedReadState,
  type GuardResult,
} from '../../reconcile';
import type { ExportRef } from '../../store';
import type { PipelineContext } from './pipeline-context';
import { screenPlan } from './screen-plan';

/** How far ahead of today dated platform records are read (planned lessons). @defaultValue 30 days */
const READ_AHEAD_DAYS = 30;

/** Cursor of a link: the dated read state its last clean sync left (`DatedReadState`). */
export const DATED_READ_CURSOR = 'dated_read';
/** Cursor of a link: the state its newest plan would leave once its run ends clean (run id on the cursor). */
export const DATED_READ_PENDING_CURSOR = 'dated_read_pending';

/** What a plan read of the platform's dated records, and what it leaves the next run. */
export interface DatedReadOutcome {
  decision: DatedReadDecision;
  /** The state to keep once this run ends clean. */
  next: DatedReadState;
  /** Dated source records outside the scope: not compared. */
  notCompared: number;
  /** Incremental reads: the dated records the plan vouched for (`entity\u0000sourceId`); worklist actions of others stay as they are. */
  inScope?: ReadonlySet<string>;
}

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
      datedRead: DatedReadOutcome;
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
  const idMap = idMapFromEntries(await ctx.store.idMap.all(link.id));
  const window = datedWindow(today, link.windowDays, READ_AHEAD_DAYS);
  const current = datedFingerprint(source.snapshot, window);
  // A transformed source (a rollover's new year) is compared in full: its days are all new.
  const stored = transformSource ? undefined : parseDatedReadState(await ctx.store.cursors.get(link.id, DATED_READ_CURSOR));
  const decision = chooseDatedRead({
    window,
    today,
    fullEveryDays: link.reconcile.fullEveryDays,
    stored,
    current,
    classPlatformId: (id) => idMap.targetId('classes', id),
  });
  const target = await connector.readSnapshot({ schoolId: link.target.schoolId, ...decision.scope });
  const gaps = sourceGapsOf(source);
  const unscreened = plan(source.snapshot, target.snapshot, idMap, {
    capabilities: connector.capabilities,
    comparableFields: connector.comparableFields,
    comparison: connector.comparison,
    gaps,
    today,
    datedScope: decision.scope,
  });
  // What the platform cannot take (a mark outside the school's mark system) is a finding, never sent.
  const planned = await screenPlan(connector, unscreened);
  const locked = new Set((await ctx.store.periodLocks.forLink(link.id)).map((l) => l.periodId));
  const periods = effectivePeriods(source.snapshot.periods, target.snapshot.periods, idMap, locked);
  const guarded = guard(planned, { periods, policy: link.policy, now, timeZone: link.school.timeZone, sourceFindings: source.findings, sourceGaps: gaps });
  // Days with a record this run does not settle (a finding, a manual action, a change held back)
  // are read again next time.
  const unsettled = [
    ...[...guarded.plan.findings, ...guarded.reasons, ...source.findings].filter((f) => f.entity && f.sourceId && DATED_ENTITIES.has(f.entity)),
    ...guarded.plan.manualActions.filter((a) => DATED_ENTITIES.has(a.entity)),
  ].map((r) => ({ entity: r.entity!, sourceId: r.sourceId! }));
  const datedRead: DatedReadOutcome = {
    decision,
    // A record whose platform twin this partial read lacked is compared by a full read next time.
    next: nextDatedReadState(decision, stored, today, source.snapshot, current, unsettled, (unscreened.datedRead?.twinsUnread ?? 0) > 0),
    notCompared: unscreened.datedRead?.notCompared ?? 0,
    ...(unscreened.datedRead?.inScope ? { inScope: unscreened.datedRead.inScope } : {}),
  };
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
    datedRead,
  };
}
