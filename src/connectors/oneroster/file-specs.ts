import { EJSYNC_EXTENSION } from './ejsync-extension';

/** How a OneRoster CSV cell is checked before mapping. */
export type OneRosterCellType =
  | 'id'
  | 'idList'
  | 'text'
  | 'list'
  | 'date'
  | 'dateTime'
  /** 1.2 writes assignDate/dueDate/scoreDate as dates or date-times; both are accepted. */
  | 'dateOrDateTime'
  | 'boolean'
  | 'float'
  | 'year'
  | 'enum';

/**
 * What the reader does with a column: `read` — mapped into the canonical model; `ignore` —
 * technical data with no place in an e-journal (logins, passwords), skipped silently;
 * `lost` — school data the canonical model cannot hold, reported once per file as
 * `oneroster.not_expressible` when any row fills it.
 */
export type ColumnUse = 'read' | 'ignore' | 'lost';

export type OneRosterFileName =
  | 'orgs.csv'
  | 'academicSessions.csv'
  | 'courses.csv'
  | 'classes.csv'
  | 'users.csv'
  | 'roles.csv'
  | 'enrollments.csv'
  | 'demographics.csv'
  | 'categories.csv'
  | 'lineItems.csv'
  | 'results.csv'
  | 'scoreScales.csv';

/** Versions of the OneRoster CSV binding ejsync reads. */
export type OneRosterVersion = '1.1' | '1.2';
export const ONEROSTER_VERSIONS: readonly OneRosterVersion[] = ['1.1', '1.2'];

export interface OneRosterColumn {
  /** The column's name in OneRoster 1.2 (and the key its values are read under). */
  name: string;
  type: OneRosterCellType;
  /** The column must be in the header and every (non-deleted) row must fill it. */
  required: boolean;
  use: ColumnUse;
  /** The versions whose binding has the column. @defaultValue both */
  versions?: readonly OneRosterVersion[];
  /** The column's header in a 1.1 package when it differs (`gradingPeriodSourcedId`). */
  v11Name?: string;
  /** Allowed values of an `enum` column; `ext:…` extension values are always allowed. */
  values?: readonly string[];
  /** Files whose `sourcedId` the id (or each id of a list) must name. */
  references?: OneRosterFileName[];
}

export interface OneRosterFileSpec {
  file: OneRosterFileName;
  /** Manifest property that declares the file (`file.users`). */
  manifestKey: string;
  /** ejsync cannot build a school without it in a bulk package. */
  required: boolean;
  /** The versions whose binding has the file. @defaultValue both */
  versions?: readonly OneRosterVersion[];
  columns: OneRosterColumn[];
}

/** The columns of a file in one version, each with the header name it goes by there. */
export function columnsFor(spec: OneRosterFileSpec, version: OneRosterVersion): { column: OneRosterColumn; header: string }[] {
  return spec.columns
    .filter((c) => !c.versions || c.versions.includes(version))
    .map((column) => ({ column, header: version === '1.1' && column.v11Name ? column.v11Name : column.name }));
}

/** The data files ejsync reads in one version. */
export function filesFor(version: OneRosterVersion): OneRosterFileSpec[] {
  return ONEROSTER_FILES.filter((s) => !s.versions || s.versions.includes(version));
}

const col = (name: string, type: OneRosterCellType, required = false, extra: Partial<OneRosterColumn> = {}): OneRosterColumn => ({ name, type, required, use: 'read', ...extra });
const ignored = (name: string, type: OneRosterCellType = 'text', required = false): OneRosterColumn => ({ name, type, required, use: 'ignore' });
const lost = (name: string, type: OneRosterCellType = 'text'): OneRosterColumn => ({ name, type, required: false, use: 'lost' });
const ref = (name: string, files: OneRosterFileName[], required = false, type: OneRosterCellType = 'id'): OneRosterColumn => col(name, type, required, { references: files });
const only = (version: OneRosterVersion, column: OneRosterColumn): OneRosterColumn => ({ ...column, versions: [version] });

const base = [col('sourcedId', 'id', true), ignored('status'), ignored('dateLastModified', 'dateTime')];

export const ORG_TYPES = ['department', 'school', 'district', 'local', 'state', 'national'] as const;
export const SESSION_TYPES = ['gradingPeriod', 'semester', 'schoolYear', 'term'] as const;
export const CLASS_TYPES = ['homeroom', 'scheduled'] as const;
/** Roles of users.csv (1.1) and roles.csv (1.2); `administrator` is the 1.1 spelling. */
export const USER_ROLES = [
  'aide',
  'counselor',
  'districtAdministrator',
  'guardian',
  'parent',
  'principal',
  'proctor',
  'relative',
  'siteAdministrator',
  'student',
  'systemAdministrator',
  'teacher',
  // OneRoster 1.1 spelling, still written by many exporters.
  'administrator',
] as const;
export const ENROLLMENT_ROLES = ['administrator', 'proctor', 'student', 'teacher', 'aide', 'guardian', 'parent', 'relative'] as const;
export const SEX_VALUES = ['male', 'female', 'other', 'unspecified'] as const;
export const SCORE_STATUSES = ['exempt', 'fully graded', 'not submitted', 'partially graded', 'submitted'] as const;

/**
 * The files of the OneRoster CSV binding (1.2, and 1.1 where marked) that ejsync reads, with their
 * columns. Files of the binding not listed here (resources, userProfiles, learning objectives,
 * score-scale links) are reported as not expressible when a package carries them. Sources:
 * 1EdTech OneRoster 1.2 CSV Binding and OneRoster 1.1 CSV Tables (docs/formats/oneroster.md). Every
 * file also has ejsync's `metadata.ejsync` extension column (see `ejsync-extension.ts`).
 */
export const ONEROSTER_FILES: readonly OneRosterFileSpec[] = ([
  {
    file: 'orgs.csv',
    manifestKey: 'file.orgs',
    required: true,
    columns: [...base, col('name', 'text', true), col('type', 'enum', true, { values: ORG_TYPES }), ignored('identifier'), ref('parentSourcedId', ['orgs.csv']), col('metadata.timeZone', 'text')],
  },
  {
    file: 'academicSessions.csv',
    manifestKey: 'file.academicSessions',
    required: true,
    columns: [
      ...base,
      col('title', 'text', true),
      col('type', 'enum', true, { values: SESSION_TYPES }),
      col('startDate', 'date', true),
      col('endDate', 'date', true),
      ref('parentSourcedId', ['academicSessions.csv']),
      col('schoolYear', 'year', true),
    ],
  },
  {
    file: 'courses.csv',
    manifestKey: 'file.courses',
    required: true,
    columns: [
      ...base,
      ref('schoolYearSourcedId', ['academicSessions.csv']),
      col('title', 'text', true),
      ignored('courseCode'),
      ignored('grades', 'list'),
      ref('orgSourcedId', ['orgs.csv'], true),
      ignored('subjects', 'list'),
      ignored('subjectCodes', 'list'),
    ],
  },
  {
    file: 'classes.csv',
    manifestKey: 'file.classes',
    required: true,
    columns: [
      ...base,
      col('title', 'text', true),
      col('grades', 'list'),
      ref('courseSourcedId', ['courses.csv'], true),
      col('classCode', 'text'),
      col('classType', 'enum', true, { values: CLASS_TYPES }),
      lost('location'),
      ref('schoolSourcedId', ['orgs.csv'], true),
      ref('termSourcedIds', ['academicSessions.csv'], true, 'idList'),
      ignored('subjects', 'list'),
      ignored('subjectCodes', 'list'),
      lost('periods', 'list'),
    ],
  },
  {
    file: 'users.csv',
    manifestKey: 'file.users',
    required: true,
    columns: [
      ...base,
      ignored('enabledUser', 'boolean', true),
      ignored('username', 'text', true),
      col('userIds', 'list'),
      col('givenName', 'text', true),
      col('familyName', 'text', true),
      col('middleName', 'text'),
      ignored('identifier'),
      col('email', 'text'),
      col('sms', 'text'),
      col('phone', 'text'),
      ref('agentSourcedIds', ['users.csv'], false, 'idList'),
      ignored('grades', 'list'),
      ignored('password'),
      only('1.2', ignored('userMasterIdentifier')),
      only('1.2', ignored('resourceSourcedIds', 'list')),
      only('1.2', lost('preferredGivenName')),
      only('1.2', lost('preferredMiddleName')),
      only('1.2', lost('preferredFamilyName')),
      only('1.2', ref('primaryOrgSourcedId', ['orgs.csv'])),
      only('1.2', lost('pronouns')),
      // OneRoster 1.1 keeps the role and the orgs on the user (1.2 moved them to roles.csv).
      only('1.1', col('role', 'enum', true, { values: USER_ROLES })),
      only('1.1', ref('orgSourcedIds', ['orgs.csv'], true, 'idList')),
    ],
  },
  {
    file: 'roles.csv',
    manifestKey: 'file.roles',
    required: false,
    versions: ['1.2'],
    columns: [
      ...base,
      ref('userSourcedId', ['users.csv'], true),
      col('roleType', 'enum', true, { values: ['primary', 'secondary'] }),
      col('role', 'enum', true, { values: USER_ROLES }),
      col('beginDate', 'date'),
      col('endDate', 'date'),
      ref('orgSourcedId', ['orgs.csv'], true),
      ignored('userProfileSourcedId'),
    ],
  },
  {
    file: 'enrollments.csv',
    manifestKey: 'file.enrollments',
    required: true,
    columns: [
      ...base,
      ref('classSourcedId', ['classes.csv'], true),
      ref('schoolSourcedId', ['orgs.csv'], true),
      ref('userSourcedId', ['users.csv'], true),
      col('role', 'enum', true, { values: ENROLLMENT_ROLES }),
      col('primary', 'boolean'),
      col('beginDate', 'date'),
      col('endDate', 'date'),
    ],
  },
  {
    file: 'demographics.csv',
    manifestKey: 'file.demographics',
    required: false,
    columns: [
      { ...col('sourcedId', 'id', true), references: ['users.csv'] },
      ignored('status'),
      ignored('dateLastModified', 'dateTime'),
      col('birthDate', 'date'),
      col('sex', 'enum', false, { values: SEX_VALUES }),
      lost('americanIndianOrAlaskaNative'),
      lost('asian'),
      lost('blackOrAfricanAmerican'),
      lost('nativeHawaiianOrOtherPacificIslander'),
      lost('white'),
      lost('demographicRaceTwoOrMoreRaces'),
      lost('hispanicOrLatinoEthnicity'),
      lost('countryOfBirthCode'),
      lost('stateOfBirthAbbreviation'),
      lost('cityOfBirth'),
      lost('publicSchoolResidenceStatus'),
    ],
  },
  {
    file: 'categories.csv',
    manifestKey: 'file.categories',
    required: false,
    columns: [...base, col('title', 'text', true), only('1.2', col('weight', 'float'))],
  },
  {
    file: 'lineItems.csv',
    manifestKey: 'file.lineItems',
    required: false,
    columns: [
      ...base,
      col('title', 'text', true),
      col('description', 'text'),
      col('assignDate', 'dateOrDateTime', true),
      col('dueDate', 'dateOrDateTime', true),
      ref('classSourcedId', ['classes.csv'], true),
      ref('categorySourcedId', ['categories.csv'], true),
      { ...ref('academicSessionSourcedId', ['academicSessions.csv'], true), v11Name: 'gradingPeriodSourcedId' },
      only('1.2', ref('schoolSourcedId', ['orgs.csv'])),
      ignored('resultValueMin', 'float'),
      ignored('resultValueMax', 'float'),
    ],
  },
  {
    file: 'results.csv',
    manifestKey: 'file.results',
    required: false,
    columns: [
      ...base,
      ref('lineItemSourcedId', ['lineItems.csv'], true),
      ref('studentSourcedId', ['users.csv'], true),
      only('1.2', ref('classSourcedId', ['classes.csv'])),
      only('1.2', ref('scoreScaleSourcedId', ['scoreScales.csv'])),
      col('scoreStatus', 'enum', true, { values: SCORE_STATUSES }),
      col('score', 'float'),
      only('1.2', col('textScore', 'text')),
      col('scoreDate', 'dateOrDateTime', true),
      col('comment', 'text'),
      only('1.2', ignored('inProgress', 'boolean')),
      only('1.2', ignored('incomplete', 'boolean')),
      only('1.2', ignored('late', 'boolean')),
      only('1.2', ignored('missing', 'boolean')),
      only('1.2', ignored('learningObjectiveSet')),
    ],
  },
  {
    file: 'scoreScales.csv',
    manifestKey: 'file.scoreScales',
    required: false,
    versions: ['1.2'],
    columns: [...base, col('title', 'text', true), col('type', 'text', true), ref('courseSourcedId', ['courses.csv']), ref('classSourcedId', ['classes.csv']), col('scoreScaleValue', 'text', true)],
  },
] satisfies OneRosterFileSpec[]).map((spec) => ({ ...spec, columns: [...spec.columns, col(EJSYNC_EXTENSION, 'text')] }));

/** Files of the OneRoster 1.1 CSV binding that ejsync does not read. */
const UNREAD_V11 = ['resources.csv', 'classResources.csv', 'courseResources.csv'];

/** Files of the OneRoster 1.2 CSV binding that ejsync does not read: their data is not expressible. */
export const UNREAD_ONEROSTER_FILES: readonly string[] = [
  ...UNREAD_V11,
  'userResources.csv',
  'userProfiles.csv',
  'lineItemLearningObjectiveIds.csv',
  'resultLearningObjectiveIds.csv',
  'lineItemScoreScales.csv',
  'resultScoreScales.csv',
];

/** The files of one version that ejsync does not read. */
export function unreadFilesFor(version: OneRosterVersion): readonly string[] {
  return version === '1.1' ? UNREAD_V11 : UNREAD_ONEROSTER_FILES;
}
