import type { EntityCollection } from '../../model';
import { UNREAD_ONEROSTER_FILES, type OneRosterFileName } from './file-specs';
import type { MappedCollection, MappingContext } from './mapping-context';
import type { RawRecord } from './raw-package';
import { ROLE_MAPPING } from './resolve-roles';

const PEOPLE: MappedCollection[] = ['staff', 'pupils', 'guardians', 'guardianLinks'];
const EVERYTHING: MappedCollection[] = ['academicYears', 'periods', 'subjects', ...PEOPLE, 'classes', 'subgroups', 'memberships', 'works', 'marks'];

/**
 * The canonical collections each OneRoster file feeds, keyed by lower-cased file name (the
 * `fileCollections` of the read): an error in a file leaves these collections incomplete, so the
 * planner archives nothing in them. orgs.csv decides the school, so it feeds everything; teacher
 * and student enrollments decide classes' teachers and which class a section belongs to; the
 * score scales and categories decide what a result becomes. manifest.csv is not listed: an error
 * there leaves every collection incomplete.
 */
export const FILE_COLLECTIONS: Readonly<Record<string, EntityCollection[]>> = Object.fromEntries(
  Object.entries({
    'orgs.csv': EVERYTHING,
    'academicSessions.csv': ['academicYears', 'periods'],
    'courses.csv': ['subjects'],
    'classes.csv': ['classes', 'subgroups'],
    'users.csv': PEOPLE,
    'roles.csv': PEOPLE,
    'demographics.csv': PEOPLE,
    'enrollments.csv': ['classes', 'subgroups', 'memberships'],
    'categories.csv': ['works', 'marks'],
    'lineItems.csv': ['works', 'marks'],
    'results.csv': ['marks'],
    'scoreScales.csv': ['marks'],
    ...Object.fromEntries(UNREAD_ONEROSTER_FILES.map((f) => [f, []])),
  } satisfies Record<OneRosterFileName | string, EntityCollection[]>).map(([file, collections]) => [file.toLowerCase(), collections]),
);

/**
 * Gives the collections a raw row would have fed, where the row tells: sessions by type, classes
 * by classType, student enrollments, line items, results; a user by its roles.csv rows, its 1.1
 * `role`, else its enrollments. Organisations, demographics, roles, categories and score scales
 * are no records of their own. The users' roles are indexed once, on the first user asked about.
 */
export function rowCollections(ctx: MappingContext): (row: RawRecord) => MappedCollection[] {
  let rolesOf: Map<string, string[]> | undefined;
  const userRoles = (user: RawRecord): string[] => {
    if (!rolesOf) {
      rolesOf = new Map();
      const add = (id: string | undefined, role: string | undefined, only: boolean) => {
        if (id === undefined || role === undefined) return;
        const list = rolesOf!.get(id);
        if (!list) rolesOf!.set(id, [role]);
        else if (!only) list.push(role);
      };
      for (const r of ctx.file('roles.csv')?.records ?? []) add(r.values.userSourcedId, r.values.role, false);
      for (const u of ctx.file('users.csv')?.records ?? []) add(u.sourcedId, u.values.role, true);
      for (const e of ctx.file('enrollments.csv')?.records ?? []) add(e.values.userSourcedId, e.values.role, true);
    }
    return rolesOf.get(user.sourcedId) ?? [];
  };
  return (row) => {
    const v = row.values;
    switch (row.file) {
      case 'academicSessions.csv':
        return v.type === 'schoolYear' ? ['academicYears'] : v.type ? ['periods'] : [];
      case 'courses.csv':
        return ['subjects'];
      case 'classes.csv':
        return v.classType === 'homeroom' ? ['classes'] : v.classType === 'scheduled' ? ['subgroups'] : [];
      case 'enrollments.csv':
        return v.role === 'student' ? ['memberships'] : [];
      case 'lineItems.csv':
        return ['works'];
      case 'results.csv':
        return ['marks'];
      case 'users.csv':
        return [...new Set(userRoles(row).flatMap((r): MappedCollection[] => (ROLE_MAPPING[r] ? [ROLE_MAPPING[r].kind] : [])))];
      default:
        return [];
    }
  };
}
