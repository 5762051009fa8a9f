import { makeFinding, schoolSchema, type School } from '../../model';
import { applyExtension, extensionOf } from './ejsync-extension';
import type { MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';

export interface SchoolOptions {
  /** Zone used when orgs.csv has no `metadata.timeZone` extension column. */
  timeZone: string;
  schoolSourcedId?: string;
  /**
   * Used when the package carries no school org (delta packages often leave orgs.csv out); in a
   * district package with several schools, the one with its sourceId is read.
   */
  fallback?: School;
}

/**
 * The one `type = school` org of the package becomes the canonical school. Other org types
 * (district, state, …) are the hierarchy above it and carry nothing the model keeps. With several
 * schools the caller must name one (`schoolSourcedId`).
 */
export function mapSchool(ctx: MappingContext, options: SchoolOptions): School | null {
  const orgs = ctx.file('orgs.csv')?.records ?? [];
  for (const org of ctx.deletedRows('orgs.csv')) {
    ctx.report('oneroster.not_expressible', org, { detail: 'удаление организации (tobedeleted) не переносится' });
  }
  const schools = orgs.filter((o) => o.values.type === 'school' && !o.deleted);
  const wanted = options.schoolSourcedId;
  // The fallback stands in only for a package that names no school at all.
  if (schools.length === 0) {
    if (options.fallback && (wanted === undefined || wanted === options.fallback.sourceId)) return options.fallback;
    ctx.findings.push(makeFinding('oneroster.school_missing', { file: 'orgs.csv', ...(wanted !== undefined ? { sourceId: wanted } : {}) }));
    return null;
  }
  let chosen: RawRecord | undefined = schools.length === 1 ? schools[0] : undefined;
  if (wanted !== undefined) {
    chosen = schools.find((s) => s.sourcedId === wanted);
    if (!chosen) {
      ctx.findings.push(makeFinding('oneroster.school_missing', { file: 'orgs.csv', sourceId: wanted, detail: `нет школы с sourcedId ${wanted}; в пакете: ${schools.map((s) => s.sourcedId).join(', ')}` }));
      return null;
    }
  } else if (!chosen) {
    chosen = schools.find((s) => s.sourcedId === options.fallback?.sourceId);
    if (!chosen) {
      ctx.findings.push(makeFinding('oneroster.ambiguous_school', { file: 'orgs.csv', detail: schools.map((s) => s.sourcedId).join(', ') }));
      return null;
    }
  }
  // Its own errors are already reported.
  if (chosen.rejected) return null;
  const draft: Record<string, unknown> = { sourceId: chosen.sourcedId, name: chosen.values.name, timeZone: chosen.values['metadata.timeZone'] ?? options.timeZone };
  applyExtension(draft, extensionOf(chosen, 'school'));
  const parsed = schoolSchema.safeParse(draft);
  if (!parsed.success) {
    for (const issue of parsed.error.issues) {
      const field = String(issue.path[0] ?? '');
      ctx.report('oneroster.invalid_value', chosen, { field: field === 'timeZone' ? 'metadata.timeZone' : field, detail: issue.message });
    }
    return null;
  }
  return parsed.data;
}

/** True when an org id is the chosen school or an org that is not a school (district, …). */
export function inSchoolScope(ctx: MappingContext, schoolId: string, orgId: string | undefined): boolean {
  if (orgId === undefined || orgId === schoolId) return true;
  const org = ctx.raw('orgs.csv', orgId);
  return org === undefined || org.values.type !== 'school';
}
