/** What a signed-in person may do. Checked on every page and API call. */
export type Role = 'operator' | 'school_admin' | 'viewer';

export interface Principal {
  /** ЕСИА oid. */
  oid: string;
  /** For the header and the audit trail. */
  displayName: string;
  roles: Role[];
  /** Schools (source ids) the person may see; operators see every school. */
  schoolIds: string[];
  /**
   * Pupils (school and pupil source ids) of the guardian records the person is linked to, for
   * the parents' view; absent when there are none. Ids only, never names.
   */
  children?: { schoolId: string; pupilId: string }[];
}

export const ROLE_LABELS: Record<Role, string> = {
  operator: 'региональный оператор',
  school_admin: 'администратор ЭЖ школы',
  viewer: 'просмотр отчётов',
};

export function isOperator(p: Principal): boolean {
  return p.roles.includes('operator');
}

/** May the person see this school's links, runs and reports? */
export function canSeeSchool(p: Principal, schoolId: string): boolean {
  return isOperator(p) || p.schoolIds.includes(schoolId);
}

/** May the person act (retry, approve, roll back, pause) on this school's links? */
export function canActOnSchool(p: Principal, schoolId: string): boolean {
  return isOperator(p) || (p.roles.includes('school_admin') && p.schoolIds.includes(schoolId));
}
