import type { AcademicYear, Holiday, IsoDate, Membership, ReportingPeriod, SchoolClass, Snapshot, Subgroup } from '../../model';

/** The new year's calendar: what the school's order on the academic year fixes (a calendar file). */
export interface YearCalendar {
  /** `2027/2028`. */
  name: string;
  startDate: IsoDate;
  endDate: IsoDate;
  /** The new year's reporting periods (quarters for 2–9, half-years for 10–11, …). */
  periods: Omit<ReportingPeriod, 'academicYearId' | 'closed' | 'closedAt'>[];
  holidays: Omit<Holiday, 'academicYearId'>[];
}

export interface RolloverOptions {
  calendar: YearCalendar;
  /** The director's order on promotion (приказ о переводе): recorded on every membership change. */
  orderNumber: string;
  orderDate: IsoDate;
  /**
   * Subgroups of promoted classes: `carry` — the same split continues in the new class with the same
   * pupils; `reset` — groups are formed anew (none are created).
   * @defaultValue 'carry'
   */
  subgroups?: 'carry' | 'reset';
  /** The last grade of the school: its classes graduate instead of being promoted. @defaultValue 11 */
  finalGrade?: number;
}

export interface RolloverResult {
  /** The school as it will be in the new year: what a rollover run plans against the platform. */
  snapshot: Snapshot;
  /** The year that ends, and the one that begins. */
  from: AcademicYear;
  to: AcademicYear;
  promoted: number;
  graduated: number;
}

/** Stable id of a record the rollover makes from an old one: the same rollover plans the same ids. */
const nextId = (oldId: string, year: string) => `${oldId}@${year.replace('/', '-')}`;

/**
 * Builds the school's next academic year from this one, as the director's order on promotion
 * says: every class of the latest year moves up a grade (`5А` → `6А`), the final grade graduates,
 * each pupil's membership in the old class (and its subgroups) ends on the old year's last day
 * and a membership in the promoted class begins on the new year's first day — both with the order
 * number and date — subgroups are carried or reset, and the new year's periods and holidays come
 * from its calendar. Nothing of the old year's journal (lessons, works, marks, attendance) changes:
 * it stays where it is, closed with its year. Pure.
 */
export function rollOver(current: Snapshot, options: RolloverOptions): RolloverResult {
  const from = [...current.academicYears].sort((a, b) => (a.startDate < b.startDate ? 1 : -1))[0];
  if (!from) throw new RangeError('the export has no academic year to roll over from');
  const { calendar } = options;
  const finalGrade = options.finalGrade ?? 11;
  const to: AcademicYear = { sourceId: nextId(from.sourceId, calendar.name), name: calendar.name, startDate: calendar.startDate, endDate: calendar.endDate };
  const order = { orderNumber: options.orderNumber, orderDate: options.orderDate };
  const next: Snapshot = structuredClone(current);
  next.academicYears.push(to);
  for (const p of calendar.periods) next.periods.push({ ...p, academicYearId: to.sourceId, closed: false });
  for (const h of calendar.holidays) next.holidays.push({ ...h, academicYearId: to.sourceId });

  const newClassOf = new Map<string, SchoolClass>();
  for (const c of current.classes) {
    if (c.academicYearId !== from.sourceId || c.grade >= finalGrade) continue;
    const promoted: SchoolClass = { ...c, sourceId: nextId(c.sourceId, calendar.name), academicYearId: to.sourceId, grade: c.grade + 1, name: `${c.grade + 1}${c.letter}` };
    newClassOf.set(c.sourceId, promoted);
    next.classes.push(promoted);
  }
  const newSubgroupOf = new Map<string, Subgroup>();
  if ((options.subgroups ?? 'carry') === 'carry') {
    for (const g of current.subgroups) {
      const cls = newClassOf.get(g.classId);
      if (!cls) continue;
      const carried: Subgroup = { ...g, sourceId: nextId(g.sourceId, calendar.name), classId: cls.sourceId };
      newSubgroupOf.set(g.sourceId, carried);
      next.subgroups.push(carried);
    }
  }
  const oldYearGroups = new Set<string>([...current.classes.filter((c) => c.academicYearId === from.sourceId).map((c) => c.sourceId), ...current.subgroups.filter((g) => current.classes.some((c) => c.sourceId === g.classId && c.academicYearId === from.sourceId)).map((g) => g.sourceId)]);
  const graduates = new Set<string>();
  for (const m of current.memberships) {
    if (m.endDate !== undefined || !oldYearGroups.has(m.groupId)) continue;
    const target = m.groupKind === 'class' ? newClassOf.get(m.groupId) : newSubgroupOf.get(m.groupId);
    const ended = next.memberships.find((x) => x.sourceId === m.sourceId)!;
    const graduating = m.groupKind === 'class' && !target;
    Object.assign(ended, { endDate: from.endDate, reason: graduating ? 'left' : 'promoted', ...order } satisfies Partial<Membership>);
    if (graduating) graduates.add(m.pupilId);
    if (target) next.memberships.push({ sourceId: nextId(m.sourceId, calendar.name), pupilId: m.pupilId, groupId: target.sourceId, groupKind: m.groupKind, startDate: to.startDate, reason: 'promoted', ...order });
  }
  const promoted = next.memberships.filter((m) => m.startDate === to.startDate && m.groupKind === 'class' && m.reason === 'promoted').length;
  return { snapshot: next, from, to, promoted, graduated: graduates.size };
}
