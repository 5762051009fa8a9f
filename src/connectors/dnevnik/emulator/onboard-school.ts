import { emptySnapshot, type Snapshot } from '../../../model';

/** First id the emulator hands out: above 2^53, as real Дневник.ру ids are. */
export const FIRST_PLATFORM_ID = 1_000_002_283_077_000_000n;

/** Hands out 64-bit platform ids as strings. */
export class PlatformIds {
  private next: bigint;
  constructor(start: bigint = FIRST_PLATFORM_ID) {
    this.next = start;
  }
  take(): string {
    this.next += 1n;
    return this.next.toString();
  }
}

/**
 * The school as it looks after onboarding through the platform's own tools (contingent import,
 * timetable built in the journal): roster, groups, memberships, subjects, periods and lessons
 * with the platform's ids — but no works, marks or attendance yet. What a first sync meets.
 */
export function onboardSchool(source: Snapshot, ids = new PlatformIds()): { platform: Snapshot; idOf: Map<string, string> } {
  const idOf = new Map<string, string>();
  const id = (collection: string, sourceId: string) => {
    const key = `${collection}/${sourceId}`;
    let v = idOf.get(key);
    if (!v) idOf.set(key, (v = ids.take()));
    return v;
  };
  const ref = (collection: string, sourceId: string | undefined) => (sourceId === undefined ? undefined : id(collection, sourceId));
  const group = (kind: 'class' | 'subgroup', sourceId: string) => id(kind === 'class' ? 'classes' : 'subgroups', sourceId);
  const p = emptySnapshot({ ...source.school, sourceId: id('school', source.school.sourceId) });
  p.academicYears = source.academicYears.map((y) => ({ ...y, sourceId: id('academicYears', y.sourceId) }));
  p.periods = source.periods.map((x) => ({ ...x, sourceId: id('periods', x.sourceId), academicYearId: id('academicYears', x.academicYearId), closed: false }));
  p.subjects = source.subjects.map((x) => ({ ...x, sourceId: id('subjects', x.sourceId) }));
  p.staff = source.staff.map((x) => ({ ...x, sourceId: id('staff', x.sourceId) }));
  p.classes = source.classes.map((x) => ({ ...x, sourceId: id('classes', x.sourceId), academicYearId: id('academicYears', x.academicYearId), homeroomTeacherId: ref('staff', x.homeroomTeacherId) }));
  p.subgroups = source.subgroups.map((x) => ({ ...x, sourceId: id('subgroups', x.sourceId), classId: id('classes', x.classId), subjectId: ref('subjects', x.subjectId), teacherId: ref('staff', x.teacherId) }));
  p.pupils = source.pupils.map((x) => ({ ...x, sourceId: id('pupils', x.sourceId) }));
  p.memberships = source.memberships.map((x) => ({ ...x, sourceId: id('memberships', x.sourceId), pupilId: id('pupils', x.pupilId), groupId: group(x.groupKind, x.groupId) }));
  p.lessons = source.lessons.map((x) => ({
    ...x,
    sourceId: id('lessons', x.sourceId),
    groupId: group(x.groupKind, x.groupId),
    subjectId: id('subjects', x.subjectId),
    teacherId: id('staff', x.teacherId),
    substituteTeacherId: ref('staff', x.substituteTeacherId),
    timetableSlotId: undefined,
  }));
  return { platform: p, idOf };
}
