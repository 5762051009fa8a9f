import { stringify, type Stringifier } from 'csv-stringify';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type {
  AcademicYear,
  EntityCollection,
  EntityRecord,
  Guardian,
  GuardianRelation,
  Mark,
  Membership,
  Pupil,
  ReportingPeriod,
  School,
  SchoolClass,
  SnapshotSink,
  Staff,
  Subgroup,
  Subject,
  Work,
} from '../../model';
import { columnsFor, ONEROSTER_FILES, UNREAD_ONEROSTER_FILES, type OneRosterFileName } from './file-specs';
import { EJSYNC_EXTENSION, extensionCell, type ExtensionFields } from './ejsync-extension';
import { MANIFEST_FILE } from './manifest';
import { kindFromTitle } from './map-sessions';
import { HOMEROOM_COURSE, MARK_CATEGORY_TITLES, PERIOD_SESSIONS, WORK_CATEGORY_TITLES } from './writer-labels';

/** One CSV row by column name; missing and undefined cells are written blank. */
type Row = Record<string, string | undefined>;

/** The data files the writer produces, in manifest order. */
const WRITTEN: readonly OneRosterFileName[] = [
  'orgs.csv',
  'academicSessions.csv',
  'courses.csv',
  'classes.csv',
  'users.csv',
  'roles.csv',
  'demographics.csv',
  'enrollments.csv',
  'categories.csv',
  'lineItems.csv',
  'results.csv',
];

/** The 1.2 header of a file: the reader's column list, so that writer and reader never drift apart. */
function headerOf(file: OneRosterFileName): string[] {
  return columnsFor(ONEROSTER_FILES.find((s) => s.file === file)!, '1.2').map((c) => c.header);
}

/**
 * One CSV file as a stream: `,`-separated, CRLF line ends (RFC 4180), UTF-8 without a BOM, the
 * header written even when no row follows. `write` returns a promise while the file is
 * back-pressured; a failed file stream rejects it (and `end`).
 */
class CsvOut {
  private readonly csv: Stringifier;
  private readonly done: Promise<void>;
  private failure: Error | undefined;

  constructor(
    dir: string,
    readonly file: string,
    private readonly header: string[],
  ) {
    const out = createWriteStream(path.join(dir, file));
    this.csv = stringify({ delimiter: ',', header: true, columns: header, record_delimiter: 'windows', bom: false });
    this.csv.pipe(out);
    this.done = finished(out);
    // Kept for the next write or `end`; never an unhandled rejection in between.
    this.done.catch((error: Error) => (this.failure = error));
  }

  write(row: Row): void | Promise<void> {
    if (this.failure) throw this.failure;
    if (!this.csv.write(this.header.map((h) => row[h] ?? ''))) {
      return Promise.race([new Promise<void>((resolve) => this.csv.once('drain', () => resolve())), this.done]);
    }
  }

  async end(): Promise<void> {
    this.csv.end();
    await this.done;
  }
}

type PersonKind = 'staff' | 'pupils' | 'guardians';

/** A user held until `close`: its users.csv row waits for the guardian links (agentSourcedIds). */
interface PersonEntry {
  row: Row;
  kinds: PersonKind[];
  /** Fields of each role's record beyond the users.csv columns. */
  extension: ExtensionFields;
  position?: string;
}

/** A column of period marks (quarter, year, …) of one group and subject: a line item that is no work. */
interface MarkColumn {
  sourcedId: string;
  subjectId: string;
  kind: Exclude<Mark['kind'], 'current'>;
  groupId: string;
  periodId?: string;
  first: string;
  last: string;
}

/**
 * Per collection, the canonical fields the standard OneRoster columns carry back unchanged; every
 * other field of a record goes into the row's `metadata.ejsync` cell ({@link beyondColumns}).
 */
const CARRIED: Partial<Record<EntityCollection | 'school', readonly string[]>> = {
  school: ['sourceId', 'name', 'timeZone'],
  academicYears: ['sourceId', 'name', 'startDate', 'endDate'],
  periods: ['sourceId', 'academicYearId', 'kind', 'number', 'name', 'startDate', 'endDate', 'grades'],
  subjects: ['sourceId', 'name'],
  staff: ['sourceId', 'lastName', 'firstName', 'middleName', 'birthDate', 'sex', 'snils', 'esiaOid', 'email', 'phone'],
  pupils: ['sourceId', 'lastName', 'firstName', 'middleName', 'birthDate', 'sex', 'snils', 'esiaOid', 'email', 'phone'],
  guardians: ['sourceId', 'lastName', 'firstName', 'middleName', 'birthDate', 'sex', 'snils', 'esiaOid', 'email', 'phone'],
  classes: ['sourceId', 'academicYearId', 'grade', 'letter', 'name', 'homeroomTeacherId'],
  subgroups: ['sourceId', 'classId', 'name', 'subjectId', 'teacherId'],
  memberships: ['sourceId', 'pupilId', 'groupId', 'groupKind', 'startDate', 'endDate'],
  // subjectId: OneRoster gives a line item the course of its class, which is «Классный час» for a homeroom class.
  works: ['sourceId', 'groupId', 'date', 'workType', 'weight', 'title', 'description', 'dueDate'],
  marks: ['sourceId', 'pupilId', 'groupId', 'kind', 'value', 'date', 'workId', 'comment'],
};

/** The fields of a record the standard columns do not carry, for its `metadata.ejsync` cell. */
function beyondColumns(collection: keyof typeof CARRIED, record: object): Record<string, unknown> {
  const carried = new Set(CARRIED[collection] ?? ['sourceId']);
  return Object.fromEntries(Object.entries(record).filter(([k, v]) => !carried.has(k) && v !== undefined));
}

/** The `metadata.ejsync` cell of a row that carries one record. */
const ext = (collection: keyof typeof CARRIED, record: object, extra: Record<string, unknown> = {}): Row => ({
  [EJSYNC_EXTENSION]: extensionCell({ [collection]: { ...beyondColumns(collection, record), ...extra } }),
});

/** Staff position → OneRoster role; the reader turns the role back into `учитель`, `директор`, `администратор`. */
function staffRole(position: string | undefined): 'teacher' | 'principal' | 'siteAdministrator' {
  const p = (position ?? '').toLocaleLowerCase('ru-RU');
  if (/заместител|завуч|администр/.test(p)) return 'siteAdministrator';
  if (/директор/.test(p)) return 'principal';
  return 'teacher';
}

/** `{snils:…},{esia:…}` — the `userIds` cell the reader takes СНИЛС and ЕСИА oid from. */
function userIds(p: Staff | Pupil | Guardian): string | undefined {
  const ids: string[] = [];
  if (p.snils) ids.push(`{snils:${p.snils}}`);
  if (p.esiaOid) ids.push(`{esia:${p.esiaOid}}`);
  return ids.length ? ids.join(',') : undefined;
}

/** A two-digit CEDS grade code (`05`). */
const gradeCode = (grade: number) => String(grade).padStart(2, '0');

/**
 * The period's session type and a title the reader reads back as the same kind. Quarters,
 * half-years and trimesters carry their word in the title (added in brackets when the name lacks
 * it), and the title decides. A year-long period has no such word: it is the only `term` of its
 * year (the reader makes a lone session of its type a year), so trimesters of a year that has
 * one are written as `gradingPeriod`.
 */
function periodSession(p: ReportingPeriod, yearHasYearPeriod: boolean): { type: string; title: string } {
  if (p.kind === 'year') return { type: 'term', title: kindFromTitle(p.name) === null ? p.name : 'Учебный год' };
  const { word } = PERIOD_SESSIONS[p.kind];
  const type = p.kind === 'trimester' && yearHasYearPeriod ? 'gradingPeriod' : PERIOD_SESSIONS[p.kind].type;
  if (kindFromTitle(p.name) === p.kind) return { type, title: p.name };
  const withWord = `${p.name} (${word})`;
  return { type, title: kindFromTitle(withWord) === p.kind ? withWord : `${p.number} ${word}` };
}

/**
 * The guardian's OneRoster role from the relations of its links: `guardian` for a legal guardian,
 * `parent` for a mother or father (the reader tells them apart by sex), none for `other` (the
 * reader makes a user named only in a pupil's agentSourcedIds a guardian with relation `other`).
 * `needsRow`: the user has other roles, or no pupil names it, so it must have a role row.
 */
function guardianRole(relations: GuardianRelation[] | undefined, needsRow: boolean): 'guardian' | 'parent' | null {
  const first = relations?.[0];
  if (first === undefined || first === 'guardian') return 'guardian';
  if (first === 'mother' || first === 'father') return 'parent';
  return needsRow ? 'parent' : null;
}

/**
 * Writes a stream of canonical records into `dir` as a OneRoster 1.2 bulk CSV package:
 * manifest.csv plus orgs, academicSessions, courses, classes, users, roles, demographics,
 * enrollments, categories, lineItems and results. `readOneRoster` reads the package back with no
 * error findings. The big collections (memberships, works, marks) stream straight into their
 * files with back-pressure; the small ones (years, periods, subjects, classes, subgroups) and the
 * users (whose rows need the guardian links, which come after them) are held until `close`.
 * Records OneRoster has no place for (holidays, bell schedule, timetable, lessons, attendance)
 * are dropped. The output is deterministic: the same records in the same order give the same
 * bytes (bulk files leave status and dateLastModified blank). See docs/formats/oneroster.md.
 */
export async function createOneRosterWriter(dir: string): Promise<SnapshotSink> {
  await mkdir(dir, { recursive: true });
  const files = new Map<string, CsvOut>();
  for (const file of WRITTEN) files.set(file, new CsvOut(dir, file, headerOf(file)));
  const manifest = new CsvOut(dir, MANIFEST_FILE, ['propertyName', 'value']);
  const out = (file: OneRosterFileName) => files.get(file)!;

  let school: School | null = null;
  const years: AcademicYear[] = [];
  const periods: ReportingPeriod[] = [];
  const subjects: Subject[] = [];
  const classes = new Map<string, SchoolClass>();
  const subgroups = new Map<string, Subgroup>();
  const people = new Map<string, PersonEntry>();
  const agentsOfPupil = new Map<string, string[]>();
  const relationsOfGuardian = new Map<string, GuardianRelation[]>();
  /** `guardianId|pupilId` → the link's own id (OneRoster has none; carried in metadata.ejsync). */
  const linkIdOf = new Map<string, string>();
  const categories = new Map<string, Row>();
  const markColumns = new Map<string, MarkColumn>();
  /** Works that came before any academic year they could hang on; written at close. */
  const deferredWorks: Work[] = [];

  const schoolId = (): string => {
    if (!school) throw new Error('OneRoster: the school must be written before its records');
    return school.sourceId;
  };

  /** The academic year of a class or subgroup, when it is known yet. */
  const yearOfGroup = (groupId: string): string | undefined => classes.get(subgroups.get(groupId)?.classId ?? groupId)?.academicYearId;
  const yearOfDate = (date: string): string | undefined => years.find((y) => y.startDate <= date && date <= y.endDate)?.sourceId;

  function person(kind: PersonKind, p: Staff | Pupil | Guardian): void | Promise<void> {
    const known = people.get(p.sourceId);
    if (known) {
      if (!known.kinds.includes(kind)) known.kinds.push(kind);
      known.extension[kind] = beyondColumns(kind, p);
      if (kind === 'staff' && known.position === undefined) known.position = (p as Staff).position;
      return;
    }
    const row: Row = {
      sourcedId: p.sourceId,
      enabledUser: 'true',
      username: p.sourceId,
      userIds: userIds(p),
      givenName: p.firstName,
      familyName: p.lastName,
      middleName: p.middleName,
      email: p.email,
      phone: p.phone,
    };
    people.set(p.sourceId, { row, kinds: [kind], extension: { [kind]: beyondColumns(kind, p) }, position: kind === 'staff' ? (p as Staff).position : undefined });
    if (p.birthDate !== undefined || p.sex !== undefined) {
      return out('demographics.csv').write({ sourcedId: p.sourceId, birthDate: p.birthDate, sex: p.sex });
    }
  }

  function category(work: Work): string {
    const weight = work.weight === undefined ? '' : String(work.weight);
    const sourcedId = `work:${work.workType}${weight ? `:${weight}` : ''}`;
    if (!categories.has(sourcedId)) {
      categories.set(sourcedId, { sourcedId, title: `${WORK_CATEGORY_TITLES[work.workType]}${weight ? ` (вес ${weight})` : ''}`, weight: weight || undefined });
    }
    return sourcedId;
  }

  function lineItem(work: Work, sessionId: string | undefined): void | Promise<void> {
    return out('lineItems.csv').write({
      sourcedId: work.sourceId,
      title: work.title?.trim() || WORK_CATEGORY_TITLES[work.workType],
      description: work.description?.trim() || undefined,
      assignDate: work.date,
      dueDate: work.dueDate ?? work.date,
      classSourcedId: work.groupId,
      categorySourcedId: category(work),
      academicSessionSourcedId: sessionId,
      schoolSourcedId: schoolId(),
      resultValueMin: '1',
      resultValueMax: '5',
      // The reader fills a blank title and dueDate from the category and the day: say they were absent.
      ...ext('works', work, { subjectId: work.subjectId, title: work.title?.trim() ? undefined : null, dueDate: work.dueDate === undefined ? null : undefined }),
    });
  }

  function work(w: Work): void | Promise<void> {
    const sessionId = yearOfGroup(w.groupId) ?? yearOfDate(w.date);
    if (sessionId === undefined) {
      deferredWorks.push(w);
      return;
    }
    return lineItem(w, sessionId);
  }

  function mark(m: Mark): void | Promise<void> {
    let lineItemId: string;
    if (m.kind === 'current') lineItemId = m.workId!;
    else {
      lineItemId = [m.kind, m.groupId, m.subjectId, m.periodId ?? ''].join(':');
      const column = markColumns.get(lineItemId);
      if (!column) markColumns.set(lineItemId, { sourcedId: lineItemId, subjectId: m.subjectId, kind: m.kind, groupId: m.groupId, periodId: m.periodId, first: m.date, last: m.date });
      else {
        if (m.date < column.first) column.first = m.date;
        if (m.date > column.last) column.last = m.date;
      }
    }
    const whole = /^[1-5]$/.test(m.value);
    return out('results.csv').write({
      sourcedId: m.sourceId,
      lineItemSourcedId: lineItemId,
      studentSourcedId: m.pupilId,
      classSourcedId: m.groupId,
      scoreStatus: m.value === 'осв' ? 'exempt' : 'fully graded',
      score: whole ? m.value : undefined,
      textScore: whole ? undefined : m.value,
      scoreDate: m.date,
      comment: m.comment?.trim() || undefined,
      ...ext('marks', m, { subjectId: m.subjectId }),
    });
  }

  function membership(m: Membership): void | Promise<void> {
    return out('enrollments.csv').write({
      sourcedId: m.sourceId,
      classSourcedId: m.groupId,
      schoolSourcedId: schoolId(),
      userSourcedId: m.pupilId,
      role: 'student',
      beginDate: m.startDate,
      endDate: m.endDate,
      ...ext('memberships', m),
    });
  }

  function add<K extends EntityCollection>(collection: K, record: EntityRecord<K>): void | Promise<void> {
    const r = record as EntityRecord<EntityCollection>;
    switch (collection) {
      case 'academicYears':
        years.push(r as AcademicYear);
        return;
      case 'periods':
        periods.push(r as ReportingPeriod);
        return;
      case 'subjects':
        subjects.push(r as Subject);
        return;
      case 'classes':
        classes.set((r as SchoolClass).sourceId, r as SchoolClass);
        return;
      case 'subgroups':
        subgroups.set((r as Subgroup).sourceId, r as Subgroup);
        return;
      case 'staff':
      case 'pupils':
      case 'guardians':
        return person(collection, r as Staff | Pupil | Guardian);
      case 'guardianLinks': {
        const link = r as EntityRecord<'guardianLinks'>;
        const agents = agentsOfPupil.get(link.pupilId) ?? [];
        agentsOfPupil.set(link.pupilId, agents);
        if (!agents.includes(link.guardianId)) agents.push(link.guardianId);
        const relations = relationsOfGuardian.get(link.guardianId) ?? [];
        relationsOfGuardian.set(link.guardianId, relations);
        relations.push(link.relation);
        linkIdOf.set(`${link.guardianId}|${link.pupilId}`, link.sourceId);
        return;
      }
      case 'memberships':
        return membership(r as Membership);
      case 'works':
        return work(r as Work);
      case 'marks':
        return mark(r as Mark);
      default:
        // holidays, bellSchedule, timetable, lessons, attendance: OneRoster has no place for them.
        return;
    }
  }

  async function writeManifest(): Promise<void> {
    const rows: [string, string][] = [
      ['manifest.version', '1.0'],
      ['oneroster.version', '1.2'],
      ['source.systemName', 'ejsync'],
    ];
    const declared = [...ONEROSTER_FILES.map((s) => s.file), ...UNREAD_ONEROSTER_FILES].sort();
    for (const file of declared) rows.push([`file.${file.replace(/\.csv$/, '')}`, WRITTEN.includes(file as OneRosterFileName) ? 'bulk' : 'absent']);
    for (const [propertyName, value] of rows) await manifest.write({ propertyName, value });
  }

  async function writeSessions(): Promise<void> {
    const sessions = out('academicSessions.csv');
    const endYear = new Map(years.map((y) => [y.sourceId, y.endDate.slice(0, 4)]));
    for (const y of years) {
      await sessions.write({ sourcedId: y.sourceId, title: `${y.name} учебный год`, type: 'schoolYear', startDate: y.startDate, endDate: y.endDate, schoolYear: endYear.get(y.sourceId), ...ext('academicYears', y) });
    }
    for (const p of periods) {
      const { type, title } = periodSession(p, periods.some((q) => q.academicYearId === p.academicYearId && q.kind === 'year'));
      await sessions.write({ sourcedId: p.sourceId, title, type, startDate: p.startDate, endDate: p.endDate, parentSourcedId: p.academicYearId, schoolYear: endYear.get(p.academicYearId) ?? p.endDate.slice(0, 4), ...ext('periods', p) });
    }
  }

  async function writeCourses(homeroomCourse: string): Promise<void> {
    const onlyYear = years.length === 1 ? years[0].sourceId : undefined;
    const courses = out('courses.csv');
    for (const s of subjects) {
      await courses.write({ sourcedId: s.sourceId, schoolYearSourcedId: onlyYear, title: s.name, courseCode: s.fgosCode, orgSourcedId: schoolId(), ...ext('subjects', s) });
    }
    await courses.write({ sourcedId: homeroomCourse, schoolYearSourcedId: onlyYear, title: HOMEROOM_COURSE.title, orgSourcedId: schoolId(), [EJSYNC_EXTENSION]: extensionCell({ course: { homeroomOnly: true } }) });
  }

  async function writeClasses(homeroomCourse: string): Promise<void> {
    const rows = out('classes.csv');
    const fallbackYear = years[0]?.sourceId;
    for (const c of classes.values()) {
      await rows.write({
        sourcedId: c.sourceId,
        title: c.name,
        grades: gradeCode(c.grade),
        courseSourcedId: homeroomCourse,
        classCode: `${c.grade}${c.letter}`,
        classType: 'homeroom',
        schoolSourcedId: schoolId(),
        termSourcedIds: c.academicYearId,
        ...ext('classes', c),
      });
    }
    const knownSubjects = new Set(subjects.map((s) => s.sourceId));
    for (const g of subgroups.values()) {
      const parent = classes.get(g.classId);
      await rows.write({
        sourcedId: g.sourceId,
        title: g.name,
        grades: parent ? gradeCode(parent.grade) : undefined,
        courseSourcedId: g.subjectId !== undefined && knownSubjects.has(g.subjectId) ? g.subjectId : homeroomCourse,
        // The reader finds the homeroom class of a section by the class name in its title or code.
        classCode: parent ? `${parent.grade}${parent.letter}` : undefined,
        classType: 'scheduled',
        schoolSourcedId: schoolId(),
        termSourcedIds: parent?.academicYearId ?? fallbackYear,
        ...ext('subgroups', g),
      });
    }
  }

  async function writeUsersAndRoles(): Promise<void> {
    const users = out('users.csv');
    const roles = out('roles.csv');
    const guardians = new Set([...people].filter(([, p]) => p.kinds.includes('guardians')).map(([id]) => id));
    /** Guardians some pupil's agentSourcedIds names: only they can go without a role row. */
    const named = new Set<string>();
    for (const [id, p] of people) {
      const agents = p.kinds.includes('pupils') ? (agentsOfPupil.get(id) ?? []).filter((g) => guardians.has(g)) : [];
      for (const g of agents) named.add(g);
      const linkIds = agents.length ? Object.fromEntries(agents.map((g) => [g, linkIdOf.get(`${g}|${id}`)])) : {};
      await users.write({
        ...p.row,
        agentSourcedIds: agents.length ? agents.join(',') : undefined,
        primaryOrgSourcedId: schoolId(),
        [EJSYNC_EXTENSION]: extensionCell({ ...p.extension, guardianLinkIds: linkIds }),
      });
    }
    for (const [id, p] of people) {
      const own: string[] = [];
      for (const kind of p.kinds) {
        const role = kind === 'staff' ? staffRole(p.position) : kind === 'pupils' ? 'student' : guardianRole(relationsOfGuardian.get(id), p.kinds.length > 1 || !named.has(id));
        if (role !== null && !own.includes(role)) own.push(role);
      }
      for (const [i, role] of own.entries()) {
        await roles.write({ sourcedId: `${id}:${role}`, userSourcedId: id, roleType: i === 0 ? 'primary' : 'secondary', role, orgSourcedId: schoolId() });
      }
    }
  }

  async function writeTeacherEnrollments(): Promise<void> {
    const enrollments = out('enrollments.csv');
    const teachers: [string, string | undefined][] = [...[...classes.values()].map((c): [string, string | undefined] => [c.sourceId, c.homeroomTeacherId]), ...[...subgroups.values()].map((g): [string, string | undefined] => [g.sourceId, g.teacherId])];
    for (const [groupId, teacherId] of teachers) {
      if (teacherId === undefined || !people.get(teacherId)?.kinds.includes('staff')) continue;
      await enrollments.write({ sourcedId: `teacher:${groupId}`, classSourcedId: groupId, schoolSourcedId: schoolId(), userSourcedId: teacherId, role: 'teacher', primary: 'true' });
    }
  }

  async function writeLineItemsAtClose(): Promise<void> {
    for (const w of deferredWorks) await lineItem(w, yearOfGroup(w.groupId) ?? yearOfDate(w.date) ?? years[0]?.sourceId);
    const items = out('lineItems.csv');
    for (const column of markColumns.values()) {
      const categoryId = `marks:${column.kind}`;
      if (!categories.has(categoryId)) categories.set(categoryId, { sourcedId: categoryId, title: MARK_CATEGORY_TITLES[column.kind] });
      const period = periods.find((p) => p.sourceId === column.periodId);
      await items.write({
        sourcedId: column.sourcedId,
        title: period ? `${MARK_CATEGORY_TITLES[column.kind]}: ${period.name}` : MARK_CATEGORY_TITLES[column.kind],
        assignDate: column.first,
        dueDate: column.last,
        classSourcedId: column.groupId,
        categorySourcedId: categoryId,
        academicSessionSourcedId: period?.sourceId ?? yearOfGroup(column.groupId) ?? yearOfDate(column.first) ?? years[0]?.sourceId,
        schoolSourcedId: schoolId(),
        resultValueMin: '1',
        resultValueMax: '5',
        [EJSYNC_EXTENSION]: extensionCell({ markColumn: { subjectId: column.subjectId } }),
      });
    }
    for (const row of categories.values()) await out('categories.csv').write(row);
  }

  return {
    school(s: School) {
      school = s;
    },
    add,
    async close() {
      const all = [manifest, ...files.values()];
      try {
        const id = schoolId();
        await writeManifest();
        await out('orgs.csv').write({ sourcedId: id, name: school!.name, type: 'school', identifier: school!.inn, 'metadata.timeZone': school!.timeZone, ...ext('school', school!) });
        const taken = new Set(subjects.map((s) => s.sourceId));
        let homeroomCourse: string = HOMEROOM_COURSE.sourcedId;
        for (let n = 2; taken.has(homeroomCourse); n++) homeroomCourse = `${HOMEROOM_COURSE.sourcedId}-${n}`;
        await writeSessions();
        await writeCourses(homeroomCourse);
        await writeClasses(homeroomCourse);
        await writeUsersAndRoles();
        await writeTeacherEnrollments();
        await writeLineItemsAtClose();
      } catch (error) {
        // Release the files before reporting what went wrong.
        await Promise.allSettled(all.map((f) => f.end()));
        throw error;
      }
      await Promise.all(all.map((f) => f.end()));
    },
  };
}
