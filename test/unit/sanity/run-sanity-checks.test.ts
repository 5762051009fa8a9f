import { allCodes, type Finding, type Snapshot } from '../../../src/model';
import { runSanityChecks } from '../../../src/reconcile/sanity';
import { tinySchool } from '../../helpers/school-fixture';

/** The МИС side of the tiny school: one 5А of two pupils, a lesson on Monday 07.09.2026, two marks, one absence. */
function school(): Snapshot {
  return tinySchool().source;
}

/** The tiny school with a timetable: 5А has mathematics on Mondays, 1st lesson. */
function withTimetable(s = school()): Snapshot {
  s.timetable.push({ sourceId: 'tt1', groupId: 'c5a', groupKind: 'class', subjectId: 'math', teacherId: 't1', dayOfWeek: 1, lessonNumber: 1 });
  return s;
}

/**
 * The tiny school with 5А split for English: subgroup sg1 has p1 only; a subgroup lesson on
 * Tuesday 08.09.2026 with a work, p1's mark and p1's absence.
 */
function withSubgroup(s = school()): Snapshot {
  s.subjects.push({ sourceId: 'eng', name: 'Английский язык' });
  s.subgroups.push({ sourceId: 'sg1', classId: 'c5a', name: '1 группа', subjectId: 'eng', teacherId: 't1' });
  s.memberships.push({ sourceId: 'mb-sg1', pupilId: 'p1', groupId: 'sg1', groupKind: 'subgroup', startDate: '2026-09-01', reason: 'assigned' });
  s.lessons.push({ sourceId: 'l2', groupId: 'sg1', groupKind: 'subgroup', subjectId: 'eng', teacherId: 't1', date: '2026-09-08', lessonNumber: 2 });
  s.works.push({ sourceId: 'w2', groupId: 'sg1', subjectId: 'eng', lessonId: 'l2', date: '2026-09-08', workType: 'lesson_answer' });
  s.marks.push({ sourceId: 'm3', pupilId: 'p1', subjectId: 'eng', groupId: 'sg1', kind: 'current', value: '5', date: '2026-09-08', workId: 'w2', lessonId: 'l2' });
  s.attendance.push({ sourceId: 'a2', pupilId: 'p1', lessonId: 'l2', status: 'late', minutesLate: 5 });
  return s;
}

const codes = (findings: Finding[]) => [...new Set(findings.map((f) => f.code))].sort();
const where = (findings: Finding[]) => findings.map((f) => `${f.code} ${f.entity}/${f.sourceId}`).sort();

describe('runSanityChecks on a consistent school', () => {
  it('finds nothing in the tiny school', () => {
    expect(runSanityChecks(school())).toEqual([]);
  });

  it('finds nothing with a matching timetable and a subgroup with its own roster', () => {
    const s = withSubgroup(withTimetable());
    s.timetable.push({ sourceId: 'tt2', groupId: 'sg1', groupKind: 'subgroup', subjectId: 'eng', teacherId: 't1', dayOfWeek: 2, lessonNumber: 2 });
    expect(runSanityChecks(s)).toEqual([]);
  });

  it('every sanity code of the catalogue is implemented (each appears on a broken school)', () => {
    const s = brokenEverywhere();
    const found = codes(runSanityChecks(s));
    expect(found).toEqual(allCodes().filter((c) => c.startsWith('sanity.')).sort());
  });

  it('never prints a name or a СНИЛС (152-ФЗ)', () => {
    const s = brokenEverywhere();
    const text = JSON.stringify(runSanityChecks(s));
    const people = [...s.pupils, ...s.staff, ...s.guardians];
    for (const p of people) {
      for (const part of [p.lastName, p.firstName, p.middleName]) if (part) expect(text).not.toContain(part);
      if (p.snils) {
        expect(text).not.toContain(p.snils);
        expect(text).not.toContain(`${p.snils.slice(0, 3)}-${p.snils.slice(3, 6)}`);
      }
    }
  });
});

describe('sanity.pupil_without_class', () => {
  it('reports a pupil with no class membership at all', () => {
    const s = school();
    s.pupils.push({ sourceId: 'p3', lastName: 'Сидоров', firstName: 'Пётр', birthDate: '2015-07-07' });
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.pupil_without_class pupils/p3']);
    expect(findings[0].severity).toBe('error');
  });

  it('reports a pupil whose only class membership ended before the academic year', () => {
    const s = school();
    s.memberships[1] = { ...s.memberships[1], startDate: '2025-09-01', endDate: '2026-05-31' };
    s.marks = s.marks.filter((m) => m.pupilId !== 'p2');
    s.attendance = [];
    expect(where(runSanityChecks(s))).toEqual(['sanity.pupil_without_class pupils/p2']);
  });

  it('counts only class memberships, not subgroup ones', () => {
    const s = school();
    s.subgroups.push({ sourceId: 'sg1', classId: 'c5a', name: '1 группа', subjectId: 'math' });
    s.pupils.push({ sourceId: 'p3', lastName: 'Сидоров', firstName: 'Пётр', birthDate: '2015-07-07' });
    s.memberships.push({ sourceId: 'mb3', pupilId: 'p3', groupId: 'sg1', groupKind: 'subgroup', startDate: '2026-09-01', reason: 'assigned' });
    expect(where(runSanityChecks(s))).toEqual(['sanity.pupil_without_class pupils/p3']);
  });

  it('checks the academic year given in the options', () => {
    const s = school();
    s.academicYears.push({ sourceId: 'y2', name: '2027/2028', startDate: '2027-09-01', endDate: '2028-08-31' });
    s.memberships[0] = { ...s.memberships[0], endDate: '2027-06-30' };
    expect(runSanityChecks(s, { skip: ['sanity.no_periods_for_grade'] })).toEqual([]);
    expect(where(runSanityChecks(s, { academicYearId: 'y2' }))).toEqual(['sanity.pupil_without_class pupils/p1']);
  });
});

describe('sanity.class_without_homeroom', () => {
  it('reports a class without a homeroom teacher', () => {
    const s = school();
    delete s.classes[0].homeroomTeacherId;
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.class_without_homeroom classes/c5a']);
    expect(findings[0]).toMatchObject({ field: 'homeroomTeacherId', severity: 'warning' });
  });

  it('reports a class whose homeroom teacher is not among the staff', () => {
    const s = school();
    s.classes[0].homeroomTeacherId = 't-gone';
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.class_without_homeroom classes/c5a']);
    expect(findings[0].message).toContain('t-gone');
  });
});

describe('sanity.subject_not_taught', () => {
  it('reports a subject with no lesson, timetable slot, subgroup or work', () => {
    const s = school();
    s.subjects.push({ sourceId: 'art', name: 'Изобразительное искусство' });
    expect(where(runSanityChecks(s))).toEqual(['sanity.subject_not_taught subjects/art']);
  });

  it('takes a subgroup, a timetable slot or a work as teaching the subject', () => {
    const s = withTimetable();
    s.subjects.push({ sourceId: 'eng', name: 'Английский язык' }, { sourceId: 'art', name: 'ИЗО' }, { sourceId: 'music', name: 'Музыка' });
    s.subgroups.push({ sourceId: 'sg1', classId: 'c5a', name: '1 группа', subjectId: 'eng' });
    s.timetable.push({ sourceId: 'tt2', groupId: 'c5a', groupKind: 'class', subjectId: 'art', teacherId: 't1', dayOfWeek: 3, lessonNumber: 1 });
    s.works.push({ sourceId: 'w2', groupId: 'c5a', subjectId: 'music', date: '2026-09-07', workType: 'homework' });
    expect(runSanityChecks(s)).toEqual([]);
  });
});

describe('sanity.lesson_outside_period', () => {
  it('reports a lesson after the last period of its parallel', () => {
    const s = school();
    s.lessons[0].date = '2026-10-30';
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.lesson_outside_period lessons/l1']);
    expect(findings[0].field).toBe('date');
    expect(findings[0].message).toContain('30.10.2026');
  });

  it('reports a lesson on holidays of its parallel, not on holidays of another', () => {
    const s = school();
    s.holidays.push({ sourceId: 'h1', academicYearId: 'y1', name: 'Дополнительные каникулы', startDate: '2026-09-07', endDate: '2026-09-07', grades: [1] });
    expect(runSanityChecks(s)).toEqual([]);
    s.holidays.push({ sourceId: 'h2', academicYearId: 'y1', name: 'Карантин', startDate: '2026-09-05', endDate: '2026-09-08' });
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.lesson_outside_period lessons/l1']);
    expect(findings[0].message).toContain('h2');
  });

  it('uses the periods of the class’s parallel and academic year', () => {
    const s = school();
    s.periods.push({ sourceId: 'q1-10', academicYearId: 'y1', kind: 'half_year', number: 1, name: 'I полугодие', startDate: '2026-09-01', endDate: '2026-12-28', grades: [10], closed: false });
    s.periods.push({ sourceId: 'q2-old', academicYearId: 'y0', kind: 'quarter', number: 2, name: 'II четверть', startDate: '2026-11-01', endDate: '2026-12-28', grades: [5], closed: false });
    s.lessons[0].date = '2026-11-10';
    expect(where(runSanityChecks(s))).toEqual(['sanity.lesson_outside_period lessons/l1']);
  });

  it('treats a subgroup lesson by its class’s parallel', () => {
    const s = withSubgroup();
    s.lessons[1].date = '2026-10-27';
    s.works[1].date = '2026-10-27';
    s.marks[2].date = '2026-10-27';
    expect(where(runSanityChecks(s))).toEqual(['sanity.lesson_outside_period lessons/l2']);
  });
});

describe('sanity.lesson_outside_timetable', () => {
  it('is not checked when the snapshot has no timetable', () => {
    const s = school();
    s.lessons[0].lessonNumber = 7;
    expect(runSanityChecks(s)).toEqual([]);
  });

  it('reports a lesson under a number the group’s timetable does not have that weekday', () => {
    const s = withTimetable();
    s.lessons[0].lessonNumber = 3;
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.lesson_outside_timetable lessons/l1']);
    expect(findings[0]).toMatchObject({ field: 'lessonNumber', severity: 'warning' });
    expect(findings[0].message).toContain('понедельник');
  });

  it('reports a lesson on a weekday the slot is not on', () => {
    const s = withTimetable();
    s.timetable[0].dayOfWeek = 2;
    expect(where(runSanityChecks(s))).toEqual(['sanity.lesson_outside_timetable lessons/l1']);
  });

  it('honours the validity range of a slot', () => {
    const s = withTimetable();
    s.timetable[0].validFrom = '2026-09-01';
    s.timetable[0].validTo = '2026-09-06';
    expect(where(runSanityChecks(s))).toEqual(['sanity.lesson_outside_timetable lessons/l1']);
    s.timetable.push({ ...s.timetable[0], sourceId: 'tt1b', validFrom: '2026-09-07', validTo: undefined });
    expect(runSanityChecks(s)).toEqual([]);
  });

  it('matches a subgroup lesson against the subgroup’s own slots', () => {
    const s = withSubgroup(withTimetable());
    s.timetable.push({ sourceId: 'tt2', groupId: 'c5a', groupKind: 'class', subjectId: 'eng', teacherId: 't1', dayOfWeek: 2, lessonNumber: 2 });
    expect(where(runSanityChecks(s))).toEqual(['sanity.lesson_outside_timetable lessons/l2']);
  });
});

describe('sanity.mark_pupil_not_in_group', () => {
  it('reports a mark given before the pupil was enrolled', () => {
    const s = school();
    s.memberships[0].startDate = '2026-09-08';
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.mark_pupil_not_in_group marks/m1']);
    expect(findings[0].field).toBe('pupilId');
  });

  it('reports a mark given after the pupil left (end date inclusive)', () => {
    const s = school();
    s.memberships[0].endDate = '2026-09-07';
    expect(runSanityChecks(s)).toEqual([]);
    s.memberships[0].endDate = '2026-09-06';
    expect(where(runSanityChecks(s))).toEqual(['sanity.mark_pupil_not_in_group marks/m1']);
  });

  it('reports a mark in another class', () => {
    const s = school();
    s.classes.push({ sourceId: 'c5b', academicYearId: 'y1', grade: 5, letter: 'Б', name: '5Б', homeroomTeacherId: 't1' });
    s.marks[0].groupId = 'c5b';
    expect(where(runSanityChecks(s))).toEqual(['sanity.mark_pupil_not_in_group marks/m1']);
  });

  it('requires subgroup membership when the subgroup has a roster', () => {
    const s = withSubgroup();
    s.marks.push({ sourceId: 'm4', pupilId: 'p2', subjectId: 'eng', groupId: 'sg1', kind: 'current', value: '3', date: '2026-09-08', workId: 'w2', lessonId: 'l2' });
    expect(where(runSanityChecks(s))).toEqual(['sanity.mark_pupil_not_in_group marks/m4']);
  });

  it('falls back to class membership for a subgroup the source gives no roster', () => {
    const s = withSubgroup();
    s.memberships = s.memberships.filter((m) => m.groupKind === 'class');
    s.marks.push({ sourceId: 'm4', pupilId: 'p2', subjectId: 'eng', groupId: 'sg1', kind: 'current', value: '3', date: '2026-09-08', workId: 'w2', lessonId: 'l2' });
    expect(runSanityChecks(s)).toEqual([]);
    s.memberships[1].startDate = '2026-09-09';
    s.marks = s.marks.filter((m) => m.sourceId !== 'm2');
    s.attendance = [];
    expect(where(runSanityChecks(s))).toEqual(['sanity.mark_pupil_not_in_group marks/m4']);
  });
});

describe('sanity.attendance_pupil_not_in_group', () => {
  it('reports an absence on a day the pupil was not in the lesson’s class', () => {
    const s = school();
    s.memberships[1].startDate = '2026-09-08';
    s.marks = s.marks.filter((m) => m.pupilId !== 'p2');
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.attendance_pupil_not_in_group attendance/a1']);
    expect(findings[0].field).toBe('pupilId');
  });

  it('reports an absence in a subgroup lesson of a pupil not in the subgroup', () => {
    const s = withSubgroup();
    s.attendance.push({ sourceId: 'a3', pupilId: 'p2', lessonId: 'l2', status: 'absent' });
    expect(where(runSanityChecks(s))).toEqual(['sanity.attendance_pupil_not_in_group attendance/a3']);
  });
});

describe('sanity.duplicate_snils', () => {
  const SNILS = '11223344595';

  it('reports a pupil with a staff member’s СНИЛС, by the pupil’s id', () => {
    const s = school();
    s.pupils[1].snils = SNILS;
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.duplicate_snils pupils/p2']);
    expect(findings[0].field).toBe('snils');
    expect(findings[0].message).toContain('t1');
    expect(findings[0].message).not.toContain(SNILS);
  });

  it('reports each extra holder', () => {
    const s = school();
    s.pupils[0].snils = SNILS;
    s.pupils[1].snils = SNILS;
    s.guardians.push({ sourceId: 'g1', lastName: 'Иванова', firstName: 'Ольга', snils: SNILS });
    expect(where(runSanityChecks(s))).toEqual(['sanity.duplicate_snils guardians/g1', 'sanity.duplicate_snils pupils/p1', 'sanity.duplicate_snils pupils/p2']);
  });

  it('reports two records of one collection even with the same name', () => {
    const s = school();
    s.staff.push({ ...s.staff[0], sourceId: 't2' });
    expect(where(runSanityChecks(s))).toEqual(['sanity.duplicate_snils staff/t2']);
  });

  it('lets one person be staff and guardian at once', () => {
    const s = school();
    const { sourceId: _t, position: _p, ...person } = s.staff[0];
    s.guardians.push({ ...person, sourceId: 'g1' });
    s.guardianLinks.push({ sourceId: 'gl1', guardianId: 'g1', pupilId: 'p1', relation: 'mother' });
    expect(runSanityChecks(s)).toEqual([]);
    s.guardians[0].birthDate = '1981-02-02';
    expect(where(runSanityChecks(s))).toEqual(['sanity.duplicate_snils guardians/g1']);
  });
});

describe('sanity.mark_in_closed_period', () => {
  it('reports marks dated in a closed period of the class’s parallel', () => {
    const s = school();
    s.periods[0].closed = true;
    s.attendance = [];
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.mark_in_closed_period marks/m1', 'sanity.mark_in_closed_period marks/m2']);
    expect(findings[0]).toMatchObject({ field: 'date', severity: 'error' });
  });

  it('reports a period mark that names a closed period, whatever its date', () => {
    const s = school();
    s.periods[0].closed = true;
    s.marks = [{ sourceId: 'mq', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'quarter', value: '5', date: '2026-10-26', periodId: 'q1' }];
    s.attendance = [];
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.mark_in_closed_period marks/mq']);
    expect(findings[0].field).toBe('periodId');
  });

  it('does not report marks in an open period of another parallel', () => {
    const s = school();
    s.periods.push({ ...s.periods[0], sourceId: 'q1-6', grades: [6], closed: true });
    expect(runSanityChecks(s)).toEqual([]);
  });
});

describe('sanity.attendance_in_closed_period', () => {
  it('reports an absence on a lesson in a closed period', () => {
    const s = school();
    s.periods[0].closed = true;
    s.marks = [];
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.attendance_in_closed_period attendance/a1']);
    expect(findings[0].message).toContain('q1');
  });
});

describe('sanity.overlapping_memberships', () => {
  function withClass5b(s = school()): Snapshot {
    s.classes.push({ sourceId: 'c5b', academicYearId: 'y1', grade: 5, letter: 'Б', name: '5Б', homeroomTeacherId: 't1' });
    return s;
  }

  it('reports enrolment in a second class while the first is open', () => {
    const s = withClass5b();
    s.memberships.push({ sourceId: 'mb3', pupilId: 'p1', groupId: 'c5b', groupKind: 'class', startDate: '2026-10-01', reason: 'transferred' });
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.overlapping_memberships memberships/mb3']);
    expect(findings[0].message).toContain('mb1');
  });

  it('reports a transfer whose leaving date is the arrival date, and accepts the day before', () => {
    const s = withClass5b();
    s.memberships[0].endDate = '2026-10-01';
    s.memberships.push({ sourceId: 'mb3', pupilId: 'p1', groupId: 'c5b', groupKind: 'class', startDate: '2026-10-01', reason: 'transferred' });
    expect(where(runSanityChecks(s))).toEqual(['sanity.overlapping_memberships memberships/mb3']);
    s.memberships[0].endDate = '2026-09-30';
    expect(runSanityChecks(s)).toEqual([]);
  });

  it('does not count a subgroup as a second class', () => {
    expect(runSanityChecks(withSubgroup())).toEqual([]);
  });
});

describe('sanity.marks_in_first_grade', () => {
  function firstGrade(): Snapshot {
    const s = school();
    s.classes[0] = { ...s.classes[0], grade: 1, name: '1А' };
    s.periods[0].grades = [1];
    return s;
  }

  it('reports five-point marks in a 1st-grade class', () => {
    const findings = runSanityChecks(firstGrade());
    expect(where(findings)).toEqual(['sanity.marks_in_first_grade marks/m1', 'sanity.marks_in_first_grade marks/m2']);
    expect(findings[0]).toMatchObject({ field: 'value', severity: 'warning' });
  });

  it('lets зачёт and осв through', () => {
    const s = firstGrade();
    s.marks[0].value = 'зач';
    s.marks[1].value = 'осв';
    expect(runSanityChecks(s)).toEqual([]);
  });
});

describe('sanity.no_periods_for_grade', () => {
  it('reports a parallel no period covers, once, on its first class', () => {
    const s = school();
    s.classes.push(
      { sourceId: 'c6a', academicYearId: 'y1', grade: 6, letter: 'А', name: '6А', homeroomTeacherId: 't1' },
      { sourceId: 'c6b', academicYearId: 'y1', grade: 6, letter: 'Б', name: '6Б', homeroomTeacherId: 't1' },
    );
    const findings = runSanityChecks(s);
    expect(where(findings)).toEqual(['sanity.no_periods_for_grade classes/c6a']);
    expect(findings[0]).toMatchObject({ field: 'grade', severity: 'error' });
    expect(findings[0].message).toContain('c6b');
  });

  it('reports the parallel instead of every lesson in it', () => {
    const s = school();
    s.periods[0].grades = [6];
    expect(where(runSanityChecks(s))).toEqual(['sanity.no_periods_for_grade classes/c5a']);
  });
});

describe('options', () => {
  it('skips the checks listed in skip', () => {
    const s = brokenEverywhere();
    const findings = runSanityChecks(s, { skip: ['sanity.duplicate_snils', 'sanity.lesson_outside_timetable', 'sanity.marks_in_first_grade'] });
    const found = codes(findings);
    expect(found).not.toContain('sanity.duplicate_snils');
    expect(found).not.toContain('sanity.lesson_outside_timetable');
    expect(found).not.toContain('sanity.marks_in_first_grade');
    expect(found).toContain('sanity.lesson_outside_period');
    expect(found).toContain('sanity.mark_pupil_not_in_group');
  });

  it('overrides severities', () => {
    const s = school();
    s.subjects.push({ sourceId: 'art', name: 'ИЗО' });
    const [f] = runSanityChecks(s, { severity: { 'sanity.subject_not_taught': 'error' } });
    expect(f).toMatchObject({ code: 'sanity.subject_not_taught', severity: 'error' });
  });
});

/** One of every problem: used to see all codes at once and that none of them leaks personal data. */
function brokenEverywhere(): Snapshot {
  const s = withSubgroup(withTimetable());
  s.periods[0].closed = true;
  s.subjects.push({ sourceId: 'art', name: 'ИЗО' });
  s.classes.push(
    { sourceId: 'c1a', academicYearId: 'y1', grade: 1, letter: 'А', name: '1А', homeroomTeacherId: 't1' },
    { sourceId: 'c6a', academicYearId: 'y1', grade: 6, letter: 'А', name: '6А' },
  );
  s.periods.push({ sourceId: 'q1-1', academicYearId: 'y1', kind: 'quarter', number: 1, name: 'I четверть', startDate: '2026-09-01', endDate: '2026-10-24', grades: [1], closed: false });
  s.pupils.push(
    { sourceId: 'p3', lastName: 'Сидоров', firstName: 'Пётр', middleName: 'Ильич', birthDate: '2015-07-07', snils: '11223344595' },
    { sourceId: 'p4', lastName: 'Кузнецова', firstName: 'Алла', birthDate: '2019-01-01' },
  );
  s.memberships.push(
    { sourceId: 'mb4', pupilId: 'p4', groupId: 'c1a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' },
    { sourceId: 'mb5', pupilId: 'p4', groupId: 'c6a', groupKind: 'class', startDate: '2026-09-05', reason: 'enrolled' },
  );
  s.lessons.push({ sourceId: 'l3', groupId: 'c1a', groupKind: 'class', subjectId: 'math', teacherId: 't1', date: '2026-11-02', lessonNumber: 4 });
  s.marks.push({ sourceId: 'm5', pupilId: 'p4', subjectId: 'math', groupId: 'c1a', kind: 'current', value: '5', date: '2026-09-10', workId: 'w1' });
  s.marks.push({ sourceId: 'm6', pupilId: 'p2', subjectId: 'eng', groupId: 'sg1', kind: 'current', value: '4', date: '2026-09-08', workId: 'w2' });
  s.attendance.push({ sourceId: 'a3', pupilId: 'p2', lessonId: 'l2', status: 'absent' });
  return s;
}
