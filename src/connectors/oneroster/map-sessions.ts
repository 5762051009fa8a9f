import { defaultPeriodKindForGrade, type PeriodKind } from '../../model';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

const ALL_GRADES = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11];

/** Grades that report by a period kind under the usual Russian scheme (quarters 1–9, half-years 10–11). */
export function gradesForKind(kind: PeriodKind): number[] {
  if (kind === 'quarter' || kind === 'half_year') return ALL_GRADES.filter((g) => defaultPeriodKindForGrade(g) === kind);
  return ALL_GRADES;
}

/** The period kind a session's title names, in Russian or English, if any. */
export function kindFromTitle(title: string): PeriodKind | null {
  const t = title.toLocaleLowerCase('ru-RU');
  if (/четверт|quarter/.test(t)) return 'quarter';
  if (/полугод|semester|half/.test(t)) return 'half_year';
  if (/триместр|trimester/.test(t)) return 'trimester';
  return null;
}

/** Kind from the OneRoster type and how many sessions of that type the year has. */
export function kindFromShape(type: string, siblings: number): PeriodKind | null {
  if (type === 'semester') return 'half_year';
  if (siblings === 4) return 'quarter';
  if (siblings === 3) return 'trimester';
  if (siblings === 2) return 'half_year';
  if (siblings === 1) return 'year';
  return null;
}

/** The schoolYear session a session belongs to: up the parent chain, then by `schoolYear`, then by dates. */
export function yearSessionOf(ctx: MappingContext, session: RawRecord): RawRecord | undefined {
  let current: RawRecord | undefined = session;
  for (let depth = 0; current && depth < 6; depth++) {
    if (current.values.type === 'schoolYear') return current;
    current = current.values.parentSourcedId ? ctx.raw('academicSessions.csv', current.values.parentSourcedId) : undefined;
  }
  const years = (ctx.file('academicSessions.csv')?.records ?? []).filter((r) => r.values.type === 'schoolYear' && !r.deleted);
  const bySchoolYear = years.filter((y) => y.values.schoolYear === session.values.schoolYear);
  if (bySchoolYear.length === 1) return bySchoolYear[0];
  const start = session.values.startDate;
  const byDates = years.filter((y) => start !== undefined && y.values.startDate <= start && start <= y.values.endDate);
  return byDates.length === 1 ? byDates[0] : undefined;
}

/**
 * academicSessions → academic years (`schoolYear`) and reporting periods (`term`, `semester`,
 * `gradingPeriod`). OneRoster sessions have no period kind or grades: the kind comes from the
 * title (четверть / полугодие / триместр) or the shape of the year (four sessions are quarters,
 * two are half-years, a semester is a half-year), and the grades from the Russian scheme
 * (quarters for grades 1–9, half-years for 10–11, anything else for all grades).
 */
export function mapSessions(ctx: MappingContext): void {
  for (const row of ctx.deletedRows('academicSessions.csv')) {
    if (row.values.type === 'schoolYear') ctx.markDeleted('academicYears', row.sourcedId);
    else if (row.values.type) ctx.markDeleted('periods', row.sourcedId);
    else ctx.report('oneroster.not_expressible', row, { field: 'type', detail: 'без type нельзя понять, учебный год это или период' });
  }
  const rows = ctx.rows('academicSessions.csv');
  for (const row of rows.filter((r) => r.values.type === 'schoolYear')) {
    const startYear = Number(row.values.startDate.slice(0, 4));
    ctx.accept('academicYears', {
      origin: row,
      record: { sourceId: row.sourcedId, name: `${startYear}/${startYear + 1}`, startDate: row.values.startDate, endDate: row.values.endDate },
      fields: { name: 'startDate' },
    });
  }
  const periods = rows.filter((r) => r.values.type !== 'schoolYear');
  const placed: { row: RawRecord; yearId: string; kind: PeriodKind }[] = [];
  const yearOf = new Map<RawRecord, RawRecord | undefined>(periods.map((p) => [p, yearSessionOf(ctx, p)]));
  for (const row of periods) {
    const type = row.values.type;
    if (type.startsWith('ext:')) {
      ctx.report('oneroster.not_expressible', row, { field: 'type', entity: 'periods', detail: `тип сессии ${type}` });
      ctx.skip('periods', row.sourcedId);
      continue;
    }
    const year = yearOf.get(row);
    if (!year) {
      ctx.report('oneroster.not_expressible', row, { field: 'parentSourcedId', entity: 'periods', detail: 'не удалось определить учебный год (schoolYear) периода' });
      ctx.skip('periods', row.sourcedId);
      continue;
    }
    if (!ctx.requires(['academicYears'], year.sourcedId, row, 'parentSourcedId', 'periods', 'учебный год не найден', 'academicSessions.csv')) {
      ctx.reject('periods', row.sourcedId);
      continue;
    }
    const siblings = periods.filter((p) => p.values.type === type && yearOf.get(p) === year).length;
    const kind = kindFromTitle(row.values.title) ?? kindFromShape(type, siblings);
    if (!kind) {
      ctx.report('oneroster.not_expressible', row, { field: 'type', entity: 'periods', detail: `не удалось определить вид периода (четверть, полугодие, триместр): сессий типа ${type} в году — ${siblings}` });
      ctx.skip('periods', row.sourcedId);
      continue;
    }
    placed.push({ row, yearId: year.sourcedId, kind });
  }
  for (const p of placed) {
    const same = placed.filter((q) => q.yearId === p.yearId && q.kind === p.kind).sort((a, b) => a.row.values.startDate.localeCompare(b.row.values.startDate));
    ctx.accept('periods', {
      origin: p.row,
      record: {
        sourceId: p.row.sourcedId,
        academicYearId: p.yearId,
        kind: p.kind,
        number: same.indexOf(p) + 1,
        name: p.row.values.title,
        startDate: p.row.values.startDate,
        endDate: p.row.values.endDate,
        grades: gradesForKind(p.kind),
        closed: false,
      },
      fields: { academicYearId: 'parentSourcedId', kind: 'type', number: 'startDate', name: 'title' },
    });
  }
}
