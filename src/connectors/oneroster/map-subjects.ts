import { inSchoolScope } from './map-school';
import type { MappingContext } from './mapping-context';

/**
 * courses → subjects, one to one: the course title is the subject name (`Математика`).
 * Courses of other schools in a district package are out of scope and skipped.
 */
export function mapSubjects(ctx: MappingContext, schoolId: string): void {
  for (const row of ctx.deletedRows('courses.csv')) ctx.markDeleted('subjects', row.sourcedId);
  for (const row of ctx.rows('courses.csv')) {
    if (!inSchoolScope(ctx, schoolId, row.values.orgSourcedId)) continue;
    ctx.accept('subjects', { origin: row, record: { sourceId: row.sourcedId, name: row.values.title }, fields: { name: 'title' } });
  }
}
