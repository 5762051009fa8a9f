import { emptySnapshot, type Snapshot } from '../../src/model';

/**
 * A tiny school as the МИС has it: one class of two pupils, one lesson with a control work,
 * two marks and one absence. `platform` is the same school as onboarded on a platform
 * (roster, periods, lessons with platform ids; no works, marks or attendance yet).
 */
export function tinySchool(): { source: Snapshot; platform: Snapshot } {
  const source = emptySnapshot({ sourceId: 'school-1', name: 'МБОУ СОШ № 1', timeZone: 'Asia/Yekaterinburg' });
  source.academicYears.push({ sourceId: 'y1', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' });
  source.periods.push({ sourceId: 'q1', academicYearId: 'y1', kind: 'quarter', number: 1, name: 'I четверть', startDate: '2026-09-01', endDate: '2026-10-24', grades: [5], closed: false });
  source.subjects.push({ sourceId: 'math', name: 'Математика' });
  source.staff.push({ sourceId: 't1', lastName: 'Учителева', firstName: 'Анна', middleName: 'Петровна', birthDate: '1980-01-01', snils: '11223344595' });
  source.classes.push({ sourceId: 'c5a', academicYearId: 'y1', grade: 5, letter: 'А', name: '5А', homeroomTeacherId: 't1' });
  source.pupils.push(
    { sourceId: 'p1', lastName: 'Иванов', firstName: 'Иван', birthDate: '2015-03-01', sex: 'male' },
    { sourceId: 'p2', lastName: 'Петрова', firstName: 'Мария', birthDate: '2015-05-02', sex: 'female' },
  );
  source.memberships.push(
    { sourceId: 'mb1', pupilId: 'p1', groupId: 'c5a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
    { sourceId: 'mb2', pupilId: 'p2', groupId: 'c5a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
  );
  source.lessons.push({ sourceId: 'l1', groupId: 'c5a', groupKind: 'class', subjectId: 'math', teacherId: 't1', date: '2026-09-07', lessonNumber: 1, topic: 'Натуральные числа' });
  source.works.push({ sourceId: 'w1', groupId: 'c5a', subjectId: 'math', lessonId: 'l1', date: '2026-09-07', workType: 'control', weight: 2, title: 'Входная контрольная' });
  source.marks.push(
    { sourceId: 'm1', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '5', date: '2026-09-07', workId: 'w1', lessonId: 'l1' },
    { sourceId: 'm2', pupilId: 'p2', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '4', date: '2026-09-07', workId: 'w1', lessonId: 'l1' },
  );
  source.attendance.push({ sourceId: 'a1', pupilId: 'p2', lessonId: 'l1', status: 'ill' });

  const platform = emptySnapshot({ sourceId: '1000002283077', name: 'МБОУ СОШ № 1', timeZone: 'Asia/Yekaterinburg' });
  const id = (n: number) => String(1000002283077000n + BigInt(n));
  platform.academicYears.push({ ...source.academicYears[0], sourceId: id(1) });
  platform.periods.push({ ...source.periods[0], sourceId: id(2), academicYearId: id(1) });
  platform.subjects.push({ sourceId: id(3), name: 'Математика' });
  platform.staff.push({ ...source.staff[0], sourceId: id(4) });
  platform.classes.push({ ...source.classes[0], sourceId: id(5), academicYearId: id(1), homeroomTeacherId: id(4) });
  platform.pupils.push({ ...source.pupils[0], sourceId: id(6) }, { ...source.pupils[1], sourceId: id(7) });
  platform.memberships.push(
    { ...source.memberships[0], sourceId: id(8), pupilId: id(6), groupId: id(5) },
    { ...source.memberships[1], sourceId: id(9), pupilId: id(7), groupId: id(5) },
  );
  platform.lessons.push({ ...source.lessons[0], sourceId: id(10), groupId: id(5), subjectId: id(3), teacherId: id(4) });
  return { source, platform };
}
