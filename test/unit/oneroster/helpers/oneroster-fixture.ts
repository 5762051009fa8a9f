import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { openBundle } from '../../../../src/connectors/file-bundle';
import { readOneRoster, type ReadOneRosterOptions } from '../../../../src/connectors/oneroster';
import type { SourceReadResult } from '../../../../src/model';

export interface Table {
  header: string[];
  rows: Record<string, string>[];
}

/** A package as tables (plus raw text files), so each test changes one cell and nothing else. */
export type Package = Record<string, Table | string>;

function cell(value: string): string {
  return /[",\n\r]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

export function toCsv(table: Table): string {
  const lines = [table.header.join(','), ...table.rows.map((r) => table.header.map((h) => cell(r[h] ?? '')).join(','))];
  return `${lines.join('\r\n')}\r\n`;
}

const t = (header: string, rows: Record<string, string>[]): Table => ({ header: header.split(','), rows });

const FILES = ['academicSessions', 'categories', 'classes', 'courses', 'demographics', 'enrollments', 'lineItems', 'orgs', 'results', 'roles', 'scoreScales', 'users'];
const ABSENT = ['classResources', 'courseResources', 'lineItemLearningObjectiveIds', 'lineItemScoreScales', 'resources', 'resultLearningObjectiveIds', 'resultScoreScales', 'userProfiles', 'userResources'];

/**
 * One school in OneRoster 1.2: a year of four quarters and two half-years, class 5А with two
 * pupils, their guardians, a teacher, an English subgroup and a mathematics section, a control
 * work and an answer in class with marks, and a quarter mark.
 */
export function validPackage(): Package {
  return {
    'manifest.csv': t('propertyName,value', [
      { propertyName: 'manifest.version', value: '1.0' },
      { propertyName: 'oneroster.version', value: '1.2' },
      ...FILES.map((f) => ({ propertyName: `file.${f}`, value: 'bulk' })),
      ...ABSENT.map((f) => ({ propertyName: `file.${f}`, value: 'absent' })),
      { propertyName: 'source.systemName', value: 'Сетевой город. Образование' },
    ]),
    'orgs.csv': t('sourcedId,status,dateLastModified,name,type,identifier,parentSourcedId,metadata.timeZone', [
      { sourcedId: 'dist-1', name: 'Департамент образования г. Перми', type: 'district' },
      { sourcedId: 'sch-1', name: 'МБОУ «СОШ № 1»', type: 'school', identifier: '5902000001', parentSourcedId: 'dist-1', 'metadata.timeZone': 'Asia/Yekaterinburg' },
    ]),
    'academicSessions.csv': t('sourcedId,status,dateLastModified,title,type,startDate,endDate,parentSourcedId,schoolYear', [
      { sourcedId: 'y2026', title: '2026/2027 учебный год', type: 'schoolYear', startDate: '2026-09-01', endDate: '2027-08-31', schoolYear: '2027' },
      { sourcedId: 'q1', title: 'I четверть', type: 'gradingPeriod', startDate: '2026-09-01', endDate: '2026-10-24', parentSourcedId: 'y2026', schoolYear: '2027' },
      { sourcedId: 'q2', title: 'II четверть', type: 'gradingPeriod', startDate: '2026-11-05', endDate: '2026-12-28', parentSourcedId: 'y2026', schoolYear: '2027' },
      { sourcedId: 'q3', title: 'III четверть', type: 'gradingPeriod', startDate: '2027-01-12', endDate: '2027-03-20', parentSourcedId: 'y2026', schoolYear: '2027' },
      { sourcedId: 'q4', title: 'IV четверть', type: 'gradingPeriod', startDate: '2027-03-30', endDate: '2027-05-26', parentSourcedId: 'y2026', schoolYear: '2027' },
      { sourcedId: 'h1', title: 'I полугодие', type: 'semester', startDate: '2026-09-01', endDate: '2026-12-28', parentSourcedId: 'y2026', schoolYear: '2027' },
      { sourcedId: 'h2', title: 'II полугодие', type: 'semester', startDate: '2027-01-12', endDate: '2027-05-26', parentSourcedId: 'y2026', schoolYear: '2027' },
    ]),
    'courses.csv': t('sourcedId,status,dateLastModified,schoolYearSourcedId,title,courseCode,grades,orgSourcedId,subjects,subjectCodes', [
      { sourcedId: 'math', schoolYearSourcedId: 'y2026', title: 'Математика', courseCode: 'MAT', grades: '05', orgSourcedId: 'sch-1' },
      { sourcedId: 'eng', schoolYearSourcedId: 'y2026', title: 'Английский язык', courseCode: 'ENG', grades: '05', orgSourcedId: 'sch-1' },
      { sourcedId: 'hr', schoolYearSourcedId: 'y2026', title: 'Классный час', grades: '05', orgSourcedId: 'sch-1' },
    ]),
    'classes.csv': t('sourcedId,status,dateLastModified,title,grades,courseSourcedId,classCode,classType,location,schoolSourcedId,termSourcedIds,subjects,subjectCodes,periods', [
      { sourcedId: 'c5a', title: '5А', grades: '05', courseSourcedId: 'hr', classType: 'homeroom', schoolSourcedId: 'sch-1', termSourcedIds: 'y2026' },
      { sourcedId: 'c5a-math', title: 'Математика 5А', grades: '05', courseSourcedId: 'math', classType: 'scheduled', schoolSourcedId: 'sch-1', termSourcedIds: 'q1,q2,q3,q4' },
      { sourcedId: 'c5a-eng1', title: 'Английский язык, гр. 1', grades: '05', courseSourcedId: 'eng', classCode: '5а-англ-1', classType: 'scheduled', schoolSourcedId: 'sch-1', termSourcedIds: 'q1,q2,q3,q4' },
    ]),
    'users.csv': t(
      'sourcedId,status,dateLastModified,enabledUser,username,userIds,givenName,familyName,middleName,identifier,email,sms,phone,agentSourcedIds,grades,password,userMasterIdentifier,resourceSourcedIds,preferredGivenName,preferredMiddleName,preferredFamilyName,primaryOrgSourcedId,pronouns',
      [
        { sourcedId: 't1', enabledUser: 'true', username: 'a.uchiteleva', userIds: '{snils:112-233-445 95}', givenName: 'Анна', familyName: 'Учителева', middleName: 'Петровна', email: 'a.uchiteleva@school1.ru', primaryOrgSourcedId: 'sch-1' },
        { sourcedId: 'p1', enabledUser: 'true', username: 'i.ivanov', givenName: 'Иван', familyName: 'Иванов', middleName: 'Сергеевич', agentSourcedIds: 'g1', grades: '05', primaryOrgSourcedId: 'sch-1' },
        { sourcedId: 'p2', enabledUser: 'true', username: 'm.petrova', givenName: 'Мария', familyName: 'Петрова', agentSourcedIds: 'g2', grades: '05', primaryOrgSourcedId: 'sch-1' },
        { sourcedId: 'g1', enabledUser: 'true', username: 'o.ivanova', userIds: '{esia:1000123456}', givenName: 'Ольга', familyName: 'Иванова', middleName: 'Николаевна', phone: '+7 912 000-00-01', agentSourcedIds: 'p1' },
        { sourcedId: 'g2', enabledUser: 'false', username: 'p.petrov', givenName: 'Пётр', familyName: 'Петров' },
      ],
    ),
    'roles.csv': t('sourcedId,status,dateLastModified,userSourcedId,roleType,role,beginDate,endDate,orgSourcedId,userProfileSourcedId', [
      { sourcedId: 'r-t1', userSourcedId: 't1', roleType: 'primary', role: 'teacher', orgSourcedId: 'sch-1' },
      { sourcedId: 'r-p1', userSourcedId: 'p1', roleType: 'primary', role: 'student', orgSourcedId: 'sch-1' },
      { sourcedId: 'r-p2', userSourcedId: 'p2', roleType: 'primary', role: 'student', orgSourcedId: 'sch-1' },
      { sourcedId: 'r-g1', userSourcedId: 'g1', roleType: 'primary', role: 'parent', orgSourcedId: 'sch-1' },
      { sourcedId: 'r-g2', userSourcedId: 'g2', roleType: 'primary', role: 'guardian', orgSourcedId: 'dist-1' },
    ]),
    'demographics.csv': t('sourcedId,status,dateLastModified,birthDate,sex,americanIndianOrAlaskaNative,asian,blackOrAfricanAmerican,nativeHawaiianOrOtherPacificIslander,white,demographicRaceTwoOrMoreRaces,hispanicOrLatinoEthnicity,countryOfBirthCode,stateOfBirthAbbreviation,cityOfBirth,publicSchoolResidenceStatus', [
      { sourcedId: 't1', birthDate: '1980-01-01', sex: 'female' },
      { sourcedId: 'p1', birthDate: '2015-03-01', sex: 'male' },
      { sourcedId: 'p2', birthDate: '2015-05-02', sex: 'female' },
      { sourcedId: 'g1', sex: 'female' },
    ]),
    'enrollments.csv': t('sourcedId,status,dateLastModified,classSourcedId,schoolSourcedId,userSourcedId,role,primary,beginDate,endDate', [
      { sourcedId: 'e-t1', classSourcedId: 'c5a', schoolSourcedId: 'sch-1', userSourcedId: 't1', role: 'teacher', primary: 'true' },
      { sourcedId: 'e-t1-math', classSourcedId: 'c5a-math', schoolSourcedId: 'sch-1', userSourcedId: 't1', role: 'teacher', primary: 'true' },
      { sourcedId: 'e-p1', classSourcedId: 'c5a', schoolSourcedId: 'sch-1', userSourcedId: 'p1', role: 'student', beginDate: '2026-09-01' },
      { sourcedId: 'e-p2', classSourcedId: 'c5a', schoolSourcedId: 'sch-1', userSourcedId: 'p2', role: 'student' },
      { sourcedId: 'e-p1-math', classSourcedId: 'c5a-math', schoolSourcedId: 'sch-1', userSourcedId: 'p1', role: 'student', beginDate: '2026-09-01' },
      { sourcedId: 'e-p2-math', classSourcedId: 'c5a-math', schoolSourcedId: 'sch-1', userSourcedId: 'p2', role: 'student', beginDate: '2026-09-01', endDate: '2026-12-28' },
      { sourcedId: 'e-p1-eng', classSourcedId: 'c5a-eng1', schoolSourcedId: 'sch-1', userSourcedId: 'p1', role: 'student', beginDate: '2026-09-01' },
    ]),
    'categories.csv': t('sourcedId,status,dateLastModified,title,weight', [
      { sourcedId: 'cat-control', title: 'Контрольные работы', weight: '2' },
      { sourcedId: 'cat-answer', title: 'Ответ на уроке', weight: '1' },
      { sourcedId: 'cat-quarter', title: 'Четвертные отметки' },
    ]),
    'lineItems.csv': t('sourcedId,status,dateLastModified,title,description,assignDate,dueDate,classSourcedId,categorySourcedId,academicSessionSourcedId,schoolSourcedId,resultValueMin,resultValueMax', [
      { sourcedId: 'li-control', title: 'Входная контрольная работа', assignDate: '2026-09-07', dueDate: '2026-09-07', classSourcedId: 'c5a-math', categorySourcedId: 'cat-control', academicSessionSourcedId: 'q1', schoolSourcedId: 'sch-1', resultValueMin: '1', resultValueMax: '5' },
      { sourcedId: 'li-answer', title: 'Ответ у доски', description: 'Дроби', assignDate: '2026-09-09T04:30:00Z', dueDate: '2026-09-09T04:30:00Z', classSourcedId: 'c5a-math', categorySourcedId: 'cat-answer', academicSessionSourcedId: 'q1', resultValueMin: '0', resultValueMax: '100' },
      { sourcedId: 'li-q1', title: 'Отметка за I четверть', assignDate: '2026-10-24T20:00:00Z', dueDate: '2026-10-24T20:00:00Z', classSourcedId: 'c5a-math', categorySourcedId: 'cat-quarter', academicSessionSourcedId: 'q1' },
    ]),
    'scoreScales.csv': t('sourcedId,status,dateLastModified,title,type,courseSourcedId,classSourcedId,scoreScaleValue', [
      { sourcedId: 'sc-100', title: 'Проценты в отметку', type: 'percent', classSourcedId: 'c5a-math', scoreScaleValue: '{100:5},{80:4},{60:3},{40:2}' },
    ]),
    'results.csv': t('sourcedId,status,dateLastModified,lineItemSourcedId,studentSourcedId,classSourcedId,scoreScaleSourcedId,scoreStatus,score,textScore,scoreDate,comment,inProgress,incomplete,late,missing,learningObjectiveSet', [
      { sourcedId: 'res-1', lineItemSourcedId: 'li-control', studentSourcedId: 'p1', classSourcedId: 'c5a-math', scoreStatus: 'fully graded', score: '5', scoreDate: '2026-09-07' },
      { sourcedId: 'res-2', lineItemSourcedId: 'li-control', studentSourcedId: 'p2', scoreStatus: 'fully graded', score: '4', scoreDate: '2026-09-07T19:30:00Z', comment: 'Ошибка в задаче 3' },
      { sourcedId: 'res-3', lineItemSourcedId: 'li-answer', studentSourcedId: 'p2', scoreScaleSourcedId: 'sc-100', scoreStatus: 'fully graded', score: '80', scoreDate: '2026-09-09' },
      { sourcedId: 'res-4', lineItemSourcedId: 'li-answer', studentSourcedId: 'p1', scoreStatus: 'fully graded', textScore: '4+', scoreDate: '2026-09-09' },
      { sourcedId: 'res-5', lineItemSourcedId: 'li-q1', studentSourcedId: 'p1', scoreStatus: 'fully graded', score: '5', scoreDate: '2026-10-24' },
    ]),
  };
}

/** Writes a package into a fresh temp folder, runs `fn` on the folder, removes it. */
export async function inPackageDir<T>(pkg: Package, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-oneroster-'));
  try {
    for (const [name, content] of Object.entries(pkg)) {
      await writeFile(path.join(dir, name), typeof content === 'string' ? content : toCsv(content));
    }
    return await fn(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** Writes a package into a fresh temp folder (or ZIP-less folder) and reads it. */
export async function readPackage(pkg: Package, options?: ReadOneRosterOptions): Promise<SourceReadResult> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-oneroster-'));
  try {
    for (const [name, content] of Object.entries(pkg)) {
      await writeFile(path.join(dir, name), typeof content === 'string' ? content : toCsv(content));
    }
    const bundle = await openBundle(dir);
    try {
      return await readOneRoster(bundle, options);
    } finally {
      await bundle.close();
    }
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

export function table(pkg: Package, name: string): Table {
  const t = pkg[name];
  if (typeof t !== 'object') throw new Error(`no table ${name}`);
  return t;
}

/** The row of a table with that sourcedId (or manifest propertyName). */
export function row(pkg: Package, name: string, id: string): Record<string, string> {
  const r = table(pkg, name).rows.find((x) => x.sourcedId === id || x.propertyName === id);
  if (!r) throw new Error(`no row ${id} in ${name}`);
  return r;
}

export function codes(result: SourceReadResult): string[] {
  return [...new Set(result.findings.map((f) => f.code))].sort();
}

const V12_ONLY_FILES = ['roles', 'scoreScales', 'userResources', 'userProfiles', 'lineItemLearningObjectiveIds', 'resultLearningObjectiveIds', 'lineItemScoreScales', 'resultScoreScales'];
const V12_ONLY_COLUMNS: Record<string, string[]> = {
  'users.csv': ['userMasterIdentifier', 'resourceSourcedIds', 'preferredGivenName', 'preferredMiddleName', 'preferredFamilyName', 'primaryOrgSourcedId', 'pronouns'],
  'categories.csv': ['weight'],
  'lineItems.csv': ['schoolSourcedId'],
  'results.csv': ['classSourcedId', 'scoreScaleSourcedId', 'textScore', 'inProgress', 'incomplete', 'late', 'missing', 'learningObjectiveSet'],
};

/**
 * The same school as a OneRoster 1.1 package (1EdTech OneRoster 1.1 CSV Tables): no roles.csv —
 * each user's primary role and its org go into users.csv `role` and `orgSourcedIds`; line items
 * name their session in `gradingPeriodSourcedId`; no score scales or text scores (the two results
 * that used them get plain scores); none of the 1.2-only columns.
 */
export function asV11(pkg: Package): Package {
  row(pkg, 'manifest.csv', 'oneroster.version').value = '1.1';
  const manifest = table(pkg, 'manifest.csv');
  manifest.rows = manifest.rows.filter((r) => !V12_ONLY_FILES.some((f) => r.propertyName === `file.${f}`));
  const users = table(pkg, 'users.csv');
  for (const r of table(pkg, 'roles.csv').rows.filter((x) => x.roleType === 'primary')) Object.assign(row(pkg, 'users.csv', r.userSourcedId), { role: r.role, orgSourcedIds: r.orgSourcedId });
  users.header.splice(users.header.indexOf('enabledUser') + 1, 0, 'orgSourcedIds', 'role');
  delete pkg['roles.csv'];
  delete pkg['scoreScales.csv'];
  for (const [file, columns] of Object.entries(V12_ONLY_COLUMNS)) table(pkg, file).header = table(pkg, file).header.filter((h) => !columns.includes(h));
  const items = table(pkg, 'lineItems.csv');
  items.header = items.header.map((h) => (h === 'academicSessionSourcedId' ? 'gradingPeriodSourcedId' : h));
  for (const r of items.rows) r.gradingPeriodSourcedId = r.academicSessionSourcedId;
  row(pkg, 'lineItems.csv', 'li-answer').resultValueMax = '5';
  Object.assign(row(pkg, 'results.csv', 'res-3'), { score: '4' });
  Object.assign(row(pkg, 'results.csv', 'res-4'), { score: '4' });
  return pkg;
}
