import { addDays, emptySnapshot, makeFinding, type Finding, type Lesson, type Pupil, type Snapshot, type Staff, type Work } from '../../model';
import {
  attendanceFromWire,
  groupFromWire,
  lessonFromWire,
  markFromWire,
  membershipFromWire,
  periodFromWire,
  personFromWire,
  schoolFromWire,
  subjectFromWire,
  workFromWire,
  type DnevnikValueMaps,
  type MarkSystem,
  type WireEduGroup,
  type WireLesson,
  type WireLogEntry,
  type WireMark,
  type WirePerson,
  type WireReportingPeriod,
  type WireWorkType,
} from '../../mappers/dnevnik';
import type { ReadScope } from '../target-connector';
import { int64Array, type DnevnikClient } from './dnevnik-client';
import { readBirthdays } from './read-birthdays';
import { readMarkSystem } from './read-mark-system';
import { eduGroupSchema, groupStudentsSchema, lessonSchema, listOf, logEntrySchema, markSchema, personSchema, reportingPeriodSchema, schoolSchema, subjectSchema, workTypeSchema } from './wire-schemas';

/** Group ids per `POST edu-groups`. */
const GROUPS_PER_BATCH = 50;
/** Per-class reads in flight at once. */
const PARALLEL_READS = 4;

async function eachLimited<T>(items: readonly T[], limit: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(
    Array.from({ length: Math.min(limit, items.length) }, async () => {
      while (next < items.length) await fn(items[next++]);
    }),
  );
}

/** Splits [from, to] into windows of at most `days` days. */
export function dateWindows(from: string, to: string, days: number): [string, string][] {
  const out: [string, string][] = [];
  for (let start = from; start <= to; start = addDays(start, days)) {
    const end = addDays(start, days - 1);
    out.push([start, end < to ? end : to]);
  }
  return out;
}

export interface PlatformReadOptions {
  timeZone: string;
  maps: DnevnikValueMaps;
  attendanceWindowDays: number;
  /** The mark system assumed when the school's profile names none. @defaultValue `mark5` */
  defaultMarkType?: string;
}

/** What a read gives besides the Snapshot: what the connector's writes need of it. */
export interface PlatformRead {
  snapshot: Snapshot;
  findings: Finding[];
  workTypes: WireWorkType[];
  /** The school's mark system (null when the platform does not list it). */
  markSystem: MarkSystem | null;
}

/**
 * Reads what a school has on Дневник.ру into a canonical Snapshot (platform ids as `sourceId`):
 * the school and its mark system, its classes and subgroups with members (pupils' birthdays from
 * their login accounts), staff, subjects, reporting periods, work types, and lessons with works,
 * marks and attendance in the scope's dates (attendance in windows of at most
 * `attendanceWindowDays`). Whether a class's answers include its subgroups' lessons is not
 * attested either way: when no subgroup lesson comes with a class, its subgroups are read on their
 * own. What cannot be mapped becomes a finding.
 */
export async function readPlatformSnapshot(client: DnevnikClient, scope: ReadScope, options: PlatformReadOptions): Promise<PlatformRead> {
  const s = scope.schoolId;
  const findings: Finding[] = [];
  const wireSchool = await client.get(`/schools/${s}`, schoolSchema);
  const snapshot = emptySnapshot(schoolFromWire(wireSchool, options.timeZone));
  const marksRead = await readMarkSystem(client, wireSchool.markType, options.defaultMarkType ?? 'mark5');
  findings.push(...marksRead.findings);
  const groups = await client.get(`/schools/${s}/edu-groups`, listOf(eduGroupSchema));
  const [staff, subjects, workTypes] = await Promise.all([
    client.get(`/schools/${s}/membership`, listOf(personSchema), { schoolMembershipType: 'Staff' }),
    client.get(`/schools/${s}/subjects`, listOf(subjectSchema)),
    client.get(`/work-types/${s}`, listOf(workTypeSchema)),
  ]);
  const workTypeById = new Map(workTypes.map((t) => [t.id_str, t]));
  const groupKind = new Map<string, 'class' | 'subgroup'>();
  const years = new Set<number>();
  for (const g of groups) {
    const mapped = groupFromWire(g);
    groupKind.set(g.id_str, mapped.kind);
    years.add(g.studyyear);
    if (mapped.kind === 'class') snapshot.classes.push(mapped.record);
    else snapshot.subgroups.push(mapped.record);
  }
  for (const y of years) snapshot.academicYears.push({ sourceId: `year-${y}`, name: `${y}/${y + 1}`, startDate: `${y}-09-01`, endDate: `${y + 1}-08-31` });
  snapshot.subjects.push(...subjects.map(subjectFromWire));

  const pupils = new Map<string, WirePerson>();
  for (let i = 0; i < groups.length; i += GROUPS_PER_BATCH) {
    const batch = groups.slice(i, i + GROUPS_PER_BATCH);
    const answer = await client.readByPost('/edu-groups', int64Array(batch.map((g) => g.id_str)), listOf(groupStudentsSchema));
    for (const { group, students } of answer) {
      for (const { person, membershipstatus } of students) {
        if (!pupils.has(person.id_str)) pupils.set(person.id_str, person);
        // Archived members are kept (ended, no date): a pupil who left is still matched, and a
        // leaver marked out by hand is seen as done.
        snapshot.memberships.push(membershipFromWire(group, person, membershipstatus));
      }
    }
  }
  // Birthdays live on login accounts (matching by name + birth date needs them for staff too);
  // one that cannot be read stays unknown and is never compared.
  const birthdays = await readBirthdays(client, [...pupils.values(), ...staff]);
  const withBirthDate = <T extends Pupil | Staff>(person: WirePerson): T => {
    const record = personFromWire(person) as T;
    const birthDate = birthdays.byPerson.get(person.id_str);
    return birthDate ? { ...record, birthDate } : record;
  };
  snapshot.staff.push(...staff.map((p) => withBirthDate<Staff>(p)));
  snapshot.pupils.push(...[...pupils.values()].map((p) => withBirthDate<Pupil>(p)));
  const unknownPupils = [...pupils.keys()].filter((id) => !birthdays.byPerson.has(id)).length;
  if (unknownPupils) {
    const why = birthdays.refused ? `users/many не прочитан (${birthdays.refused})` : 'нет учётной записи пользователя или даты в ней';
    findings.push(makeFinding('dnevnik.birth_date_unknown', { entity: 'pupils', detail: `${unknownPupils} из ${pupils.size}: ${why}; эти даты не сравниваются` }));
  }

  const classes = groups.filter((g) => groupKind.get(g.id_str) === 'class');
  const subgroupsOf = new Map<string, WireEduGroup[]>();
  for (const g of groups) if (groupKind.get(g.id_str) === 'subgroup') subgroupsOf.set(g.parentIds_str[0], [...(subgroupsOf.get(g.parentIds_str[0]) ?? []), g]);
  const periodGrades = new Map<string, { period: WireReportingPeriod; grades: Set<number>; year: number }>();
  const lessons = new Map<string, WireLesson>();
  const works = new Map<string, Work>();
  const marks: WireMark[] = [];
  const entries: WireLogEntry[] = [];
  await eachLimited(classes, PARALLEL_READS, async (g) => {
    for (const p of await client.get(`/edu-groups/${g.id_str}/reporting-periods`, listOf(reportingPeriodSchema))) {
      const seen = periodGrades.get(p.id_str) ?? { period: p, grades: new Set<number>(), year: g.studyyear };
      if (g.parallel) seen.grades.add(g.parallel);
      periodGrades.set(p.id_str, seen);
    }
    // An incremental read asks only for the days whose МИС records changed (see `chooseDatedRead`).
    const days = scope.classes ? scope.classes.get(g.id_str) : { from: scope.from, to: scope.to };
    if (!days) return;
    const own = await client.get(`/edu-groups/${g.id_str}/lessons/${days.from}/${days.to}`, listOf(lessonSchema));
    for (const l of own) lessons.set(l.id_str, l);
    const subgroups = subgroupsOf.get(g.id_str) ?? [];
    // A class answer with a subgroup's lesson includes its subgroups (marks and log entries too);
    // without one, each subgroup is read on its own (an installation may answer either way).
    const included = own.some((l) => l.group_str !== g.id_str);
    for (const group of [g, ...(included ? [] : subgroups)]) {
      if (group !== g) for (const l of await client.get(`/edu-groups/${group.id_str}/lessons/${days.from}/${days.to}`, listOf(lessonSchema))) lessons.set(l.id_str, l);
      // A mark keeps its own date (the day it was given or written), often after its lesson's:
      // read to the window's end, so the mark of every lesson read comes with it (a mark whose
      // work was not read is dropped below). One request either way.
      marks.push(...(await client.get(`/edu-groups/${group.id_str}/marks/${days.from}/${scope.to}`, listOf(markSchema))));
      for (const [from, to] of dateWindows(days.from, days.to, options.attendanceWindowDays)) {
        entries.push(...(await client.get(`/lesson-log-entries/group/${group.id_str}`, listOf(logEntrySchema), { from, to })));
      }
    }
  });
  for (const { period, grades, year } of periodGrades.values()) {
    const mapped = periodFromWire(period, `year-${year}`, [...grades].sort((a, b) => a - b), options.maps);
    if (mapped && mapped.grades.length) snapshot.periods.push(mapped);
    else findings.push(makeFinding('dnevnik.value_unmapped', { entity: 'periods', sourceId: period.id_str, detail: `тип периода «${period.type}»` }));
  }
  for (const l of lessons.values()) {
    snapshot.lessons.push(lessonFromWire(l, groupKind.get(l.group_str) ?? 'class') as Lesson);
    for (const w of l.works) {
      const work = workFromWire(w, l, workTypeById, options.maps);
      if (work) works.set(work.sourceId, work);
      else findings.push(makeFinding('dnevnik.value_unmapped', { entity: 'works', sourceId: w.id_str, detail: `тип работы «${workTypeById.get(w.workType_str)?.title ?? w.workType_str}»`, severity: 'warning' }));
    }
  }
  snapshot.works.push(...works.values());
  const seenMarks = new Set<string>();
  for (const m of marks) {
    if (seenMarks.has(m.id_str)) continue;
    seenMarks.add(m.id_str);
    const mark = markFromWire(m, works.get(m.work_str), options.maps, marksRead.system);
    if (mark) snapshot.marks.push(mark);
    else if (works.has(m.work_str)) findings.push(makeFinding('dnevnik.value_unmapped', { entity: 'marks', sourceId: m.id_str, detail: `значение «${m.value}»`, severity: 'warning' }));
  }
  const seenEntries = new Set<string>();
  for (const e of entries) {
    const a = attendanceFromWire(e, options.maps);
    if (!a || seenEntries.has(a.sourceId)) continue;
    seenEntries.add(a.sourceId);
    snapshot.attendance.push(a);
  }
  return { snapshot, findings, workTypes, markSystem: marksRead.system };
}
