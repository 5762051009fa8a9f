import type { EntityCollection, IsoDate } from '../model';
import type { AnyRecord } from './references';
import type { SnapshotIndex } from './snapshot-index';

/** Collections read and compared by date: the bulk of a school's records. */
export const DATED_ENTITIES: ReadonlySet<EntityCollection> = new Set(['lessons', 'works', 'marks', 'attendance']);

/** An inclusive range of school-local days. */
export interface DateRange {
  from: IsoDate;
  to: IsoDate;
}

/**
 * Which dated records a plan compares: those of `[from, to]`, and when `classes` is set only those
 * of the listed classes (platform ids), each within its own range. Whatever lies outside was not
 * read from the platform, so it is neither created, changed nor archived.
 */
export interface DatedScope extends DateRange {
  /** Platform class id → the days read for it (subgroups go with their class). @defaultValue every class */
  classes?: ReadonlyMap<string, DateRange>;
}

/** The class and day a dated record belongs to: a lesson, its works, their marks and the lesson's attendance share one. */
export interface DatedBucket {
  /** The class (a subgroup's record belongs to its class), in the id space of the index. */
  classId: string;
  date: IsoDate;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' && v !== '' ? v : undefined);

/**
 * The bucket of a dated record in one Snapshot: a lesson by its group and day; a work by its
 * lesson (else its own group and day); a mark by its work (else its own group and day);
 * attendance by its lesson. Undefined when the record's group or lesson is not in the Snapshot.
 */
export function datedBucketOf(entity: EntityCollection, record: AnyRecord, index: SnapshotIndex): DatedBucket | undefined {
  let r: AnyRecord | undefined = record;
  if (entity === 'attendance') r = index.get('lessons', String(record.lessonId));
  else if (entity === 'marks') {
    const workId = str(record.workId);
    const work = workId ? index.get('works', workId) : undefined;
    if (work) r = lessonOfWork(work, index);
  } else if (entity === 'works') r = lessonOfWork(record, index);
  if (!r) return undefined;
  const date = str(r.date);
  const groupId = str(r.groupId);
  if (!date || !groupId) return undefined;
  if (index.get('classes', groupId)) return { classId: groupId, date };
  const classId = str(index.get('subgroups', groupId)?.classId);
  return classId ? { classId, date } : undefined;
}

function lessonOfWork(work: AnyRecord, index: SnapshotIndex): AnyRecord {
  const lessonId = str(work.lessonId);
  return (lessonId ? index.get('lessons', lessonId) : undefined) ?? work;
}

/** Whether a bucket (class in platform ids) lies in the scope. */
export function inDatedScope(scope: DatedScope, classPlatformId: string | undefined, date: IsoDate): boolean {
  if (date < scope.from || date > scope.to) return false;
  if (!scope.classes) return true;
  if (classPlatformId === undefined) return false;
  const range = scope.classes.get(classPlatformId);
  return range !== undefined && date >= range.from && date <= range.to;
}

/** `${classId}|${date}`: a bucket as a key. */
export const bucketKey = (b: DatedBucket): string => `${b.classId}|${b.date}`;
