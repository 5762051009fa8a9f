import { parseList } from './cell-values';
import { yearSessionOf } from './map-sessions';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

/** The academic year of a class: through its terms, then its course's schoolYearSourcedId, then the only year. */
export function yearOfClass(ctx: MappingContext, row: RawRecord): string | undefined {
  for (const termId of parseList(row.values.termSourcedIds)) {
    const term = ctx.raw('academicSessions.csv', termId);
    const year = term && yearSessionOf(ctx, term);
    if (year) return year.sourcedId;
  }
  const course = ctx.raw('courses.csv', row.values.courseSourcedId);
  if (course?.values.schoolYearSourcedId) return course.values.schoolYearSourcedId;
  const years = ctx.all('academicYears');
  return years.length === 1 ? years[0].sourceId : undefined;
}

/** The earliest start of a class's terms: the default start of its enrollments. */
export function classStart(ctx: MappingContext, row: RawRecord | undefined): string | undefined {
  if (!row) return undefined;
  const starts = parseList(row.values.termSourcedIds)
    .map((id) => ctx.raw('academicSessions.csv', id)?.values.startDate)
    .filter((d): d is string => d !== undefined)
    .sort();
  return starts[0] ?? ctx.get('academicYears', yearOfClass(ctx, row))?.startDate;
}
