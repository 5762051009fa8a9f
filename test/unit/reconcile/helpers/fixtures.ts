import { emptySnapshot, snilsWithChecksum, type CapabilityMatrix, type EntityCollection, type Snapshot } from '../../../../src/model';
import { REFERENCE_FIELDS, type AnyRecord, type IdMapEntry } from '../../../../src/reconcile';

export const ALL_ENTITIES: EntityCollection[] = [
  'academicYears', 'periods', 'holidays', 'subjects', 'staff', 'classes', 'subgroups', 'pupils', 'guardians',
  'guardianLinks', 'memberships', 'bellSchedule', 'timetable', 'lessons', 'works', 'marks', 'attendance',
];

export function fullCapabilities(): CapabilityMatrix {
  const m: CapabilityMatrix = {};
  for (const e of ALL_ENTITIES) m[e] = { read: true, create: true, update: true, archive: true };
  return m;
}

/** Дневник.ру per research §5: everything readable; only works, marks and attendance writable. */
export function dnevnikLikeCapabilities(): CapabilityMatrix {
  const m: CapabilityMatrix = {};
  for (const e of ALL_ENTITIES) m[e] = { read: true, create: false, update: false, archive: false };
  for (const e of ['works', 'marks', 'attendance'] as const) m[e] = { read: true, create: true, update: true, archive: true };
  return m;
}

export const snils = (n: number) => snilsWithChecksum(String(100000000 + n * 7919).slice(0, 9));

const school = { sourceId: 'school-1', name: 'МАОУ «СОШ № 1»', timeZone: 'Asia/Yekaterinburg' };

/** A small school: one year, two quarters (first closed), two classes, a subgroup, pupils, a week of journal. */
export function smallSchool(): Snapshot {
  const s = emptySnapshot(school);
  s.academicYears.push({ sourceId: 'y26', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' });
  s.periods.push(
    { sourceId: 'q1', academicYearId: 'y26', kind: 'quarter', number: 1, name: '1 четверть', startDate: '2026-09-01', endDate: '2026-10-25', grades: [5, 6], closed: true },
    { sourceId: 'q2', academicYearId: 'y26', kind: 'quarter', number: 2, name: '2 четверть', startDate: '2026-11-05', endDate: '2026-12-28', grades: [5, 6], closed: false },
  );
  s.subjects.push({ sourceId: 'math', name: 'Математика' }, { sourceId: 'eng', name: 'Английский язык' });
  s.staff.push(
    { sourceId: 'st1', lastName: 'Смирнова', firstName: 'Ольга', middleName: 'Петровна', birthDate: '1980-03-04', snils: snils(1) },
    { sourceId: 'st2', lastName: 'Кузнецов', firstName: 'Павел', birthDate: '1975-11-12' },
  );
  s.classes.push(
    { sourceId: 'c5a', academicYearId: 'y26', grade: 5, letter: 'А', name: '5А', homeroomTeacherId: 'st1' },
    { sourceId: 'c6b', academicYearId: 'y26', grade: 6, letter: 'Б', name: '6Б' },
  );
  s.subgroups.push({ sourceId: 'g5a-en1', classId: 'c5a', name: 'Английский, 1 группа', subjectId: 'eng', teacherId: 'st2' });
  s.pupils.push(
    { sourceId: 'p1', lastName: 'Иванов', firstName: 'Иван', middleName: 'Иванович', birthDate: '2015-02-01', snils: snils(11) },
    { sourceId: 'p2', lastName: 'Петрова', firstName: 'Анна', birthDate: '2015-06-30' },
    { sourceId: 'p3', lastName: 'Сидоров', firstName: 'Пётр', birthDate: '2014-01-15', sex: 'male' },
  );
  s.guardians.push({ sourceId: 'gd1', lastName: 'Иванова', firstName: 'Мария', snils: snils(21) });
  s.guardianLinks.push({ sourceId: 'gl1', guardianId: 'gd1', pupilId: 'p1', relation: 'mother' });
  s.memberships.push(
    { sourceId: 'm1', pupilId: 'p1', groupId: 'c5a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
    { sourceId: 'm2', pupilId: 'p2', groupId: 'c5a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
    { sourceId: 'm3', pupilId: 'p3', groupId: 'c6b', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
    { sourceId: 'm4', pupilId: 'p1', groupId: 'g5a-en1', groupKind: 'subgroup', startDate: '2026-09-01', reason: 'assigned' },
  );
  s.bellSchedule.push({ sourceId: 'b1', lessonNumber: 1, startTime: '08:30', endTime: '09:10', shift: 1 });
  s.timetable.push({ sourceId: 'tt1', groupId: 'c5a', groupKind: 'class', subjectId: 'math', teacherId: 'st1', dayOfWeek: 2, lessonNumber: 1 });
  s.lessons.push(
    { sourceId: 'l1', groupId: 'c5a', groupKind: 'class', subjectId: 'math', teacherId: 'st1', date: '2026-10-20', lessonNumber: 1, topic: 'Дроби' },
    { sourceId: 'l2', groupId: 'c5a', groupKind: 'class', subjectId: 'math', teacherId: 'st1', date: '2026-11-10', lessonNumber: 1, topic: 'Десятичные дроби' },
    { sourceId: 'l3', groupId: 'g5a-en1', groupKind: 'subgroup', subjectId: 'eng', teacherId: 'st2', date: '2026-11-10', lessonNumber: 2 },
  );
  s.works.push(
    { sourceId: 'w1', groupId: 'c5a', subjectId: 'math', date: '2026-10-20', lessonId: 'l1', workType: 'control', title: 'Контрольная №1' },
    { sourceId: 'w2', groupId: 'c5a', subjectId: 'math', date: '2026-11-10', lessonId: 'l2', workType: 'lesson_answer' },
  );
  s.marks.push(
    { sourceId: 'mk1', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '5', date: '2026-10-20', workId: 'w1', lessonId: 'l1' },
    { sourceId: 'mk2', pupilId: 'p2', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '4', date: '2026-10-20', workId: 'w1', lessonId: 'l1' },
    { sourceId: 'mk3', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '3', date: '2026-11-10', workId: 'w2', lessonId: 'l2' },
    { sourceId: 'mk4', pupilId: 'p2', subjectId: 'math', groupId: 'c5a', kind: 'quarter', value: '4', date: '2026-10-25', periodId: 'q1' },
  );
  s.attendance.push(
    { sourceId: 'a1', pupilId: 'p2', lessonId: 'l2', status: 'ill' },
    { sourceId: 'a2', pupilId: 'p1', lessonId: 'l1', status: 'absent' },
  );
  return s;
}

/**
 * The same school as a platform would return it: every id replaced by `T-<id>`, references too.
 * Returns the id map entries that link the two.
 */
export function mirror(source: Snapshot, prefix = 'T-'): { target: Snapshot; entries: IdMapEntry[] } {
  const target = emptySnapshot(source.school);
  const entries: IdMapEntry[] = [];
  for (const entity of ALL_ENTITIES) {
    for (const r of source[entity] as unknown as AnyRecord[]) {
      const copy: AnyRecord = { ...r, sourceId: prefix + r.sourceId };
      for (const ref of REFERENCE_FIELDS[entity]) {
        const v = r[ref.field];
        if (typeof v === 'string') copy[ref.field] = prefix + v;
      }
      (target[entity] as unknown as AnyRecord[]).push(copy);
      entries.push({ entity, sourceId: r.sourceId, targetId: prefix + r.sourceId });
    }
  }
  return { target, entries };
}

export function clone<T>(value: T): T {
  return structuredClone(value);
}
