import { addDays, emptySnapshot, type Snapshot } from '../../../src/model';
import { runSanityChecks } from '../../../src/reconcile/sanity';

/**
 * A big school: `classes` classes of 25 pupils in grades 2–11, a full weekly timetable, two weeks
 * of lessons (6 a day), `marksPerLesson` marks and one absence per lesson.
 */
function bigSchool(classes: number, marksPerLesson: number): Snapshot {
  const s = emptySnapshot({ sourceId: 'school', name: 'Школа', timeZone: 'Asia/Yekaterinburg' });
  s.academicYears.push({ sourceId: 'y', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' });
  s.periods.push({ sourceId: 'q1', academicYearId: 'y', kind: 'quarter', number: 1, name: 'I четверть', startDate: '2026-09-01', endDate: '2026-10-24', grades: [2, 3, 4, 5, 6, 7, 8, 9], closed: false });
  s.periods.push({ sourceId: 'h1', academicYearId: 'y', kind: 'half_year', number: 1, name: 'I полугодие', startDate: '2026-09-01', endDate: '2026-12-28', grades: [10, 11], closed: false });
  s.subjects.push({ sourceId: 'math', name: 'Математика' });
  s.staff.push({ sourceId: 't', lastName: 'Учитель', firstName: 'Иван', birthDate: '1980-01-01' });
  const monday = '2026-09-07';
  for (let c = 0; c < classes; c++) {
    const classId = `c${c}`;
    s.classes.push({ sourceId: classId, academicYearId: 'y', grade: 2 + (c % 10), letter: 'А', name: `${2 + (c % 10)}А`, homeroomTeacherId: 't' });
    for (let p = 0; p < 25; p++) {
      s.pupils.push({ sourceId: `p${c}_${p}`, lastName: 'Ученик', firstName: 'Имя', birthDate: '2015-01-01' });
      s.memberships.push({ sourceId: `mb${c}_${p}`, pupilId: `p${c}_${p}`, groupId: classId, groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' });
    }
    for (let day = 1; day <= 5; day++) {
      for (let n = 1; n <= 6; n++) s.timetable.push({ sourceId: `tt${c}_${day}_${n}`, groupId: classId, groupKind: 'class', subjectId: 'math', teacherId: 't', dayOfWeek: day, lessonNumber: n });
    }
    for (let week = 0; week < 2; week++) {
      for (let day = 0; day < 5; day++) {
        const date = addDays(monday, week * 7 + day);
        for (let n = 1; n <= 6; n++) {
          const lessonId = `l${c}_${week}_${day}_${n}`;
          s.lessons.push({ sourceId: lessonId, groupId: classId, groupKind: 'class', subjectId: 'math', teacherId: 't', date, lessonNumber: n });
          for (let m = 0; m < marksPerLesson; m++) {
            s.marks.push({ sourceId: `m${lessonId}_${m}`, pupilId: `p${c}_${(n * 3 + m) % 25}`, subjectId: 'math', groupId: classId, kind: 'current', value: '4', date, workId: 'w' });
          }
          s.attendance.push({ sourceId: `a${lessonId}`, pupilId: `p${c}_${n % 25}`, lessonId, status: 'absent' });
        }
      }
    }
  }
  return s;
}

describe('runSanityChecks at scale', () => {
  it('checks 100 000 pupils with a million marks in seconds', () => {
    const s = bigSchool(4000, 4);
    expect(s.pupils).toHaveLength(100_000);
    expect(s.marks).toHaveLength(960_000);
    s.works.push({ sourceId: 'w', groupId: 'c0', subjectId: 'math', date: '2026-09-07', workType: 'lesson_answer' });
    let started = Date.now();
    expect(runSanityChecks(s)).toEqual([]);
    const cleanMs = Date.now() - started;

    // Every pupil of class c7 leaves on 10.09.2026: their later marks and absences are flagged.
    for (const m of s.memberships) if (m.groupId === 'c7') m.endDate = '2026-09-10';
    started = Date.now();
    const findings = runSanityChecks(s);
    const brokenMs = Date.now() - started;
    const expectedMarks = s.marks.filter((m) => m.groupId === 'c7' && m.date > '2026-09-10').length;
    expect(findings.filter((f) => f.code === 'sanity.mark_pupil_not_in_group')).toHaveLength(expectedMarks);
    expect(findings.filter((f) => f.code === 'sanity.attendance_pupil_not_in_group').length).toBeGreaterThan(0);
    expect(cleanMs).toBeLessThan(15_000);
    expect(brokenMs).toBeLessThan(15_000);
  });
});
