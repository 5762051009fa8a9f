import { createHash } from 'node:crypto';
import { type EntityCollection, type IsoDate, type Snapshot } from '../model';
import { bucketKey, DATED_ENTITIES, datedBucketOf, type DateRange } from './dated-scope';
import type { AnyRecord } from './references';
import { SnapshotIndex } from './snapshot-index';

/** Per bucket (`classSourceId|date`), a digest of its dated source records: what a later run compares to find the days that changed. */
export type DatedFingerprint = Record<string, string>;

export interface DatedFingerprintResult {
  buckets: DatedFingerprint;
  /** Per bucket, the latest day of its records (a mark given after its lesson): how far the platform must be read for it. */
  lastDay: Map<string, IsoDate>;
}

/** JSON with keys sorted: the same record read from a reordered export digests the same. */
function canonical(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  const o = value as Record<string, unknown>;
  return `{${Object.keys(o)
    .filter((k) => o[k] !== undefined)
    .sort()
    .map((k) => `${JSON.stringify(k)}:${canonical(o[k])}`)
    .join(',')}}`;
}

const digest = (text: string) => createHash('sha1').update(text).digest('base64url').slice(0, 16);

/**
 * Digests the dated source records (lessons, works, marks, attendance) per class and day, within
 * `window`. Records `exclude` names (with a finding, a manual action, anything not settled) leave
 * their whole bucket out, so a later run treats that day as changed and reads it again. Pure.
 */
export function datedFingerprint(
  source: Snapshot,
  window: DateRange,
  exclude?: (entity: EntityCollection, sourceId: string) => boolean,
): DatedFingerprintResult {
  const index = new SnapshotIndex(source);
  const parts = new Map<string, string[]>();
  const lastDay = new Map<string, IsoDate>();
  const excluded = new Set<string>();
  for (const entity of DATED_ENTITIES) {
    for (const record of source[entity] as unknown as AnyRecord[]) {
      const bucket = datedBucketOf(entity, record, index);
      if (!bucket || bucket.date < window.from || bucket.date > window.to) continue;
      const key = bucketKey(bucket);
      if (exclude?.(entity, record.sourceId)) excluded.add(key);
      let list = parts.get(key);
      if (!list) parts.set(key, (list = []));
      list.push(digest(`${entity}\u0000${canonical(record)}`));
      const own = typeof record.date === 'string' ? record.date : bucket.date;
      const before = lastDay.get(key) ?? bucket.date;
      lastDay.set(key, own > before ? own : before);
    }
  }
  const buckets: DatedFingerprint = {};
  for (const [key, list] of [...parts].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    if (!excluded.has(key)) buckets[key] = digest(list.sort().join(','));
  }
  return { buckets, lastDay };
}
