import { addDays, type EntityCollection, type IsoDate, type Snapshot } from '../model';
import type { DatedFingerprint, DatedFingerprintResult } from './dated-fingerprint';
import { bucketKey, datedBucketOf, type DateRange, type DatedScope } from './dated-scope';
import type { AnyRecord } from './references';
import { russianDate } from './russian-labels';
import { SnapshotIndex } from './snapshot-index';

/** What a link's last clean run left for the next one to compare its source with (kept as a cursor). */
export interface DatedReadState {
  version: 1;
  /** The day of the last clean run that read every class over the whole window. */
  fullAt: IsoDate;
  /** The window's first day then: a wider window now needs a full read. */
  from: IsoDate;
  buckets: DatedFingerprint;
  /** A partial read missed a platform record the id map knows (left uncompared): the next run reads everything. */
  fullNext?: true;
}

/** Why a run reads every class over the whole window. */
export type FullReadReason = 'first' | 'due' | 'always' | 'window' | 'unmapped_class';

export type DatedReadDecision =
  | { mode: 'full'; reason: FullReadReason; scope: DatedScope }
  | {
      mode: 'incremental';
      scope: DatedScope & { classes: ReadonlyMap<string, DateRange> };
      /** Days (class and date) whose source records differ from the last clean run's. */
      changedDays: number;
    };

export interface DatedReadInput {
  /** The widest window: `windowDays` back, the read-ahead forward. */
  window: DateRange;
  today: IsoDate;
  /** A full read at least this often (days); 0 reads everything every time. */
  fullEveryDays: number;
  /** The state the last clean run left, when it left one. */
  stored?: DatedReadState;
  /** This run's source, digested over the same window. */
  current: DatedFingerprintResult;
  /** A class's platform id by its source id (the id map). */
  classPlatformId: (classSourceId: string) => string | undefined;
}

const daysFrom = (from: IsoDate, to: IsoDate) => Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);

/**
 * Decides which dated records a run reads from the platform. The platform is read in full (every
 * class over the whole window) on the first run, when the last full read is `fullEveryDays` old,
 * when the window widened, or when a changed day belongs to a class the platform does not have
 * yet; otherwise only the days whose source records differ from the last clean run's — each class
 * from its first to its last changed day — so an unchanged school reads no dated record at all.
 * What the platform changed by itself on other days is found by the next full read. Pure.
 */
export function chooseDatedRead(input: DatedReadInput): DatedReadDecision {
  const { window, stored, current } = input;
  const full = (reason: FullReadReason): DatedReadDecision => ({ mode: 'full', reason, scope: { ...window } });
  if (!stored || stored.version !== 1) return full('first');
  if (input.fullEveryDays <= 0) return full('always');
  if (daysFrom(stored.fullAt, input.today) >= input.fullEveryDays || stored.fullNext) return full('due');
  if (window.from < stored.from) return full('window');

  const changed = new Set<string>();
  for (const [key, hash] of Object.entries(current.buckets)) if (stored.buckets[key] !== hash) changed.add(key);
  for (const key of Object.keys(stored.buckets)) {
    const date = key.slice(key.lastIndexOf('|') + 1);
    if (!(key in current.buckets) && date >= window.from && date <= window.to) changed.add(key);
  }
  const classes = new Map<string, DateRange>();
  for (const key of changed) {
    const cut = key.lastIndexOf('|');
    const classId = input.classPlatformId(key.slice(0, cut));
    if (classId === undefined) return full('unmapped_class');
    const first = key.slice(cut + 1);
    const lastDay = current.lastDay.get(key) ?? first;
    const last = lastDay > window.to ? window.to : lastDay;
    const range = classes.get(classId);
    classes.set(classId, range ? { from: first < range.from ? first : range.from, to: last > range.to ? last : range.to } : { from: first, to: last });
  }
  return { mode: 'incremental', scope: { ...window, classes }, changedDays: changed.size };
}

/** The digest of a day a run did not settle: never equal to a day's digest, so it is read again. */
const UNSETTLED = '';

/**
 * The state a clean run leaves: this run's digests without the days of records it did not settle
 * (a finding, a manual action), which the next run therefore reads again.
 */
export function nextDatedReadState(
  decision: DatedReadDecision,
  stored: DatedReadState | undefined,
  today: IsoDate,
  source: Snapshot,
  current: DatedFingerprintResult,
  unsettled: Iterable<{ entity: EntityCollection; sourceId: string }>,
  /** This run left a record uncompared because the partial read lacked its platform twin. */
  fullNext = false,
): DatedReadState {
  const buckets = { ...current.buckets };
  const index = new SnapshotIndex(source);
  for (const { entity, sourceId } of unsettled) {
    const record = index.get(entity, sourceId);
    const bucket = record ? datedBucketOf(entity, record as AnyRecord, index) : undefined;
    // Kept with a digest no day has, not dropped: a day the МИС then deletes whole must still
    // count as changed (a key missing on both sides would never be read again).
    if (bucket) buckets[bucketKey(bucket)] = UNSETTLED;
  }
  const fullAt = decision.mode === 'full' || !stored ? today : stored.fullAt;
  return { version: 1, fullAt, from: decision.scope.from, buckets, ...(fullNext ? { fullNext: true as const } : {}) };
}

/** What a run's summary keeps of its dated read (the run page, report and CLI describe it). */
export interface DatedReadSummary {
  mode: 'full' | 'incremental';
  from: IsoDate;
  to: IsoDate;
  reason?: FullReadReason;
  classes?: number;
  changedDays?: number;
  notCompared: number;
}

export function datedReadSummary(outcome: { decision: DatedReadDecision; notCompared: number }): DatedReadSummary {
  const { decision } = outcome;
  return {
    mode: decision.mode,
    from: decision.scope.from,
    to: decision.scope.to,
    ...(decision.mode === 'full' ? { reason: decision.reason } : { classes: decision.scope.classes.size, changedDays: decision.changedDays }),
    notCompared: outcome.notCompared,
  };
}

const FULL_READ_TEXT: Record<FullReadReason, string> = {
  first: 'первая сверка связи',
  due: 'плановая полная сверка',
  always: 'полная сверка каждый раз (reconcile.fullEveryDays: 0)',
  window: 'окно сверки расширено',
  unmapped_class: 'изменения в классе, которого ещё нет на платформе',
};

/** «Уроки, отметки и посещаемость: …» — one line for a person. */
export function describeDatedRead(s: DatedReadSummary): string {
  const head = 'Уроки, работы, отметки и посещаемость';
  if (s.mode === 'full') return `${head}: полная сверка за ${russianDate(s.from)}–${russianDate(s.to)} (${FULL_READ_TEXT[s.reason ?? 'first']}).`;
  if (!s.changedDays) return `${head}: в выгрузке МИС нет изменений с последней успешной синхронизации — с платформы не читались (полная сверка — раз в reconcile.fullEveryDays дней).`;
  return `${head}: сверены только дни с изменениями в МИС с последней успешной синхронизации — ${s.changedDays} (классов: ${s.classes}); остальные дни сверит плановая полная сверка.`;
}

/** A stored state as read back, or undefined when it is missing or not one ejsync wrote. */
export function parseDatedReadState(text: string | null): DatedReadState | undefined {
  if (!text) return undefined;
  try {
    const v = JSON.parse(text) as Partial<DatedReadState>;
    if (v.version !== 1 || typeof v.fullAt !== 'string' || typeof v.from !== 'string' || !v.buckets || typeof v.buckets !== 'object') return undefined;
    return v as DatedReadState;
  } catch {
    return undefined;
  }
}

/** The window a run compares: `windowDays` back from today and `aheadDays` forward. */
export const datedWindow = (today: IsoDate, windowDays: number, aheadDays: number): DateRange => ({ from: addDays(today, -windowDays), to: addDays(today, aheadDays) });
