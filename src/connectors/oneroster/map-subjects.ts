import { extensionOf } from './ejsync-extension';
import { inSchoolScope } from './map-school';
import type { MappingContext } from './mapping-context';

/**
 * courses → subjects, one to one: the course title is the subject name (`Математика`).
 * Courses of other schools in a district package are out of scope and skipped, and so is the
 * homeroom course of ejsync's own packages (`metadata.ejsync` `{"course":{"homeroomOnly":true}}`).
 */
export function mapSubjects(ctx: MappingContext, schoolId: string): void {
  for (const row of ctx.deletedRows('courses.csv')) ctx.markDeleted('subjects', row.sourcedId);
  for (const row of ctx.rows('courses.csv')) {
    if (!inSchoolScope(ctx, schoolId, row.values.orgSourcedId)) continue;
    // The course ejsync's writer gives homeroom classes (and works without a section) is no subject of the school.
    if (extensionOf(row, 'course')?.homeroomOnly === true) continue;
    ctx.accept('subjects', { origin: row, record: { sourceId: row.sourcedId, name: row.values.title }, fields: { name: 'title' } });
  }
}
