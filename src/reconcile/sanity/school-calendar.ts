import type { Holiday, ReportingPeriod, SchoolClass, Snapshot } from '../../model';

/** What the school calendar says about one day for one parallel of one academic year. */
export interface CalendarDay {
  /** Some reporting period of the parallel covers the day. */
  inPeriod: boolean;
  /** A closed reporting period of the parallel that covers the day, if any. */
  closedPeriod?: ReportingPeriod;
  /** Holidays (каникулы) of the parallel covering the day, if any. */
  holiday?: Holiday;
}

/**
 * Periods and holidays of one parallel (grade) in one academic year. Days are answered from a
 * memo: a school has a few hundred distinct dates per parallel, while marks and attendance
 * ask about the same days millions of times.
 */
export class GradeCalendar {
  private readonly days = new Map<string, CalendarDay>();

  constructor(
    readonly academicYearId: string,
    readonly grade: number,
    readonly periods: readonly ReportingPeriod[],
    readonly holidays: readonly Holiday[],
  ) {}

  /** Whether any reporting period covers this parallel at all. */
  get hasPeriods(): boolean {
    return this.periods.length > 0;
  }

  /** The calendar facts for `date` (`YYYY-MM-DD`). */
  day(date: string): CalendarDay {
    let day = this.days.get(date);
    if (day) return day;
    day = { inPeriod: false };
    for (const p of this.periods) {
      if (date < p.startDate || date > p.endDate) continue;
      day.inPeriod = true;
      if (p.closed && !day.closedPeriod) day.closedPeriod = p;
    }
    for (const h of this.holidays) {
      if (date >= h.startDate && date <= h.endDate) {
        day.holiday = h;
        break;
      }
    }
    this.days.set(date, day);
    return day;
  }
}

/**
 * The school calendar of a Snapshot, per academic year and parallel. Periods and holidays are
 * matched on the class's academic year: a quarter of 2025/2026 says nothing about 2026/2027.
 */
export class SchoolCalendar {
  private readonly periodsByYearGrade = new Map<string, ReportingPeriod[]>();
  private readonly holidaysByYear = new Map<string, Holiday[]>();
  private readonly calendars = new Map<string, GradeCalendar>();
  readonly periodsById = new Map<string, ReportingPeriod>();

  constructor(snapshot: Snapshot) {
    for (const p of snapshot.periods) {
      this.periodsById.set(p.sourceId, p);
      for (const grade of new Set(p.grades)) push(this.periodsByYearGrade, yearGradeKey(p.academicYearId, grade), p);
    }
    for (const h of snapshot.holidays) push(this.holidaysByYear, h.academicYearId, h);
  }

  /** The calendar of the class's parallel in the class's academic year (shared by its parallel). */
  forClass(cls: SchoolClass): GradeCalendar {
    return this.forGrade(cls.academicYearId, cls.grade);
  }

  /** The calendar of parallel `grade` in academic year `academicYearId`. */
  forGrade(academicYearId: string, grade: number): GradeCalendar {
    const key = yearGradeKey(academicYearId, grade);
    let cal = this.calendars.get(key);
    if (!cal) {
      // Holidays without `grades` are for the whole school.
      const holidays = (this.holidaysByYear.get(academicYearId) ?? []).filter((h) => h.grades == null || h.grades.includes(grade));
      cal = new GradeCalendar(academicYearId, grade, this.periodsByYearGrade.get(key) ?? [], holidays);
      this.calendars.set(key, cal);
    }
    return cal;
  }
}

function yearGradeKey(academicYearId: string, grade: number): string {
  return `${grade}\u0000${academicYearId}`;
}

function push<T>(map: Map<string, T[]>, key: string, value: T): void {
  const list = map.get(key);
  if (list) list.push(value);
  else map.set(key, [value]);
}
