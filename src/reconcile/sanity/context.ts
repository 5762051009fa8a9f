import { isoDayOfWeek, makeFinding, type ErrorCode, type Finding, type FindingContext, type GroupKind, type Lesson, type SchoolClass, type Severity, type Snapshot } from '../../model';
import { MembershipIndex } from './membership-index';
import { SchoolCalendar, type GradeCalendar } from './school-calendar';
import { TimetableIndex } from './timetable-index';

/** A code of the sanity section of the catalogue (`sanity.*`). */
export type SanityCode = Extract<ErrorCode, `sanity.${string}`>;

/** Options of {@link runSanityChecks}. */
export interface SanityOptions {
  /**
   * Checks not to run, by code.
   * @defaultValue `[]` (every check runs)
   */
  skip?: readonly SanityCode[];
  /**
   * Severity per code where a policy differs from the catalogue (e.g. `sanity.subject_not_taught`
   * raised to an error, `sanity.lesson_outside_timetable` kept a warning).
   * @defaultValue the catalogue severity of each code
   */
  severity?: Partial<Record<SanityCode, Severity>>;
  /**
   * The academic year in which every pupil must be in a class (`sanity.pupil_without_class`).
   * @defaultValue every academic year of the snapshot (a pupil in a class at any time in any of
   * them passes); with no academic years, any class membership at all passes
   */
  academicYearId?: string;
}

/** A class or subgroup resolved to the class it belongs to and that class's calendar. */
export interface ResolvedGroup {
  id: string;
  kind: GroupKind;
  /** The class itself, or the subgroup's parent class. */
  schoolClass: SchoolClass;
  calendar: GradeCalendar;
}

/**
 * Indices shared by the checks of one run, each built on first use: a run that skips the
 * marks checks never builds the membership index.
 */
export class SanityContext {
  readonly classes = new Map<string, SchoolClass>();
  private readonly subgroupClass = new Map<string, string>();
  private readonly resolved: Record<GroupKind | 'any', Map<string, ResolvedGroup | null>> = { class: new Map(), subgroup: new Map(), any: new Map() };
  private readonly weekdays = new Map<string, number>();
  private readonly skipped: ReadonlySet<SanityCode>;
  private lessonMap?: Map<string, Lesson>;
  private pupilSet?: Set<string>;
  private membershipIndex?: MembershipIndex;
  private schoolCalendar?: SchoolCalendar;
  private timetableIndex?: TimetableIndex;

  constructor(
    readonly snapshot: Snapshot,
    readonly options: SanityOptions = {},
  ) {
    this.skipped = new Set(options.skip ?? []);
    for (const c of snapshot.classes) this.classes.set(c.sourceId, c);
    for (const s of snapshot.subgroups) this.subgroupClass.set(s.sourceId, s.classId);
  }

  /** Whether the check for `code` is to run. */
  wants(code: SanityCode): boolean {
    return !this.skipped.has(code);
  }

  /** A finding of `code` with the severity the options give it. */
  finding(code: SanityCode, ctx: FindingContext): Finding {
    const severity = this.options.severity?.[code];
    return makeFinding(code, severity ? { ...ctx, severity } : ctx);
  }

  /** Lessons by id. */
  get lessons(): Map<string, Lesson> {
    if (!this.lessonMap) {
      this.lessonMap = new Map();
      for (const l of this.snapshot.lessons) this.lessonMap.set(l.sourceId, l);
    }
    return this.lessonMap;
  }

  /** Ids of the snapshot's pupils. */
  get pupils(): Set<string> {
    this.pupilSet ??= new Set(this.snapshot.pupils.map((p) => p.sourceId));
    return this.pupilSet;
  }

  /** Memberships by pupil and group. */
  get memberships(): MembershipIndex {
    this.membershipIndex ??= new MembershipIndex(this.snapshot.memberships);
    return this.membershipIndex;
  }

  /** Periods and holidays by academic year and parallel. */
  get calendar(): SchoolCalendar {
    this.schoolCalendar ??= new SchoolCalendar(this.snapshot);
    return this.schoolCalendar;
  }

  /** Timetable slots by group, weekday and lesson number. */
  get timetable(): TimetableIndex {
    this.timetableIndex ??= new TimetableIndex(this.snapshot.timetable);
    return this.timetableIndex;
  }

  /** ISO weekday of a date (Monday 1 … Sunday 7), memoised per date. */
  weekday(date: string): number {
    let d = this.weekdays.get(date);
    if (d === undefined) {
      d = isoDayOfWeek(date);
      this.weekdays.set(date, d);
    }
    return d;
  }

  /**
   * The group `id` of kind `kind` with its class, or undefined when it (or a subgroup's class)
   * is not in the snapshot — a dangling reference is the reader's finding, not a sanity one.
   * Without `kind` (marks carry none) a class is looked up first, then a subgroup.
   */
  group(id: string, kind?: GroupKind): ResolvedGroup | undefined {
    const memo = this.resolved[kind ?? 'any'];
    let found = memo.get(id);
    if (found === undefined) {
      found = (kind !== 'subgroup' ? this.resolveClass(id) : undefined) ?? (kind !== 'class' ? this.resolveSubgroup(id) : undefined) ?? null;
      memo.set(id, found);
    }
    return found ?? undefined;
  }

  /**
   * Whether the pupil belonged to the group on `date`. For a subgroup the subgroup's own
   * membership decides (the model makes pupils members of the subgroup too); only when the
   * source carries no roster for that subgroup does membership of its class count.
   */
  memberOn(pupilId: string, group: ResolvedGroup, date: string): boolean {
    const index = this.memberships;
    if (group.kind === 'subgroup' && index.hasRoster(group.id)) return index.memberOn(pupilId, group.id, 'subgroup', date);
    return index.memberOn(pupilId, group.schoolClass.sourceId, 'class', date);
  }

  private resolveClass(id: string): ResolvedGroup | undefined {
    const cls = this.classes.get(id);
    return cls && { id, kind: 'class', schoolClass: cls, calendar: this.calendar.forClass(cls) };
  }

  private resolveSubgroup(id: string): ResolvedGroup | undefined {
    const classId = this.subgroupClass.get(id);
    const cls = classId === undefined ? undefined : this.classes.get(classId);
    return cls && { id, kind: 'subgroup', schoolClass: cls, calendar: this.calendar.forClass(cls) };
  }
}
