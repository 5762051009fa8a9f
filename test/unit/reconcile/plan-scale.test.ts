import { addDays, emptySnapshot, type Snapshot } from '../../../src/model';
import { EMPTY_ID_MAP, idMapFromEntries, plan, type IdMapEntry } from '../../../src/reconcile';
import { fullCapabilities } from './helpers/fixtures';

/** One school year of one subject: `classes` × 25 pupils, a work per lesson, `marksPerLesson` marks each. */
function bigSchool(prefix: string, classes: number, lessons: number, marksPerLesson: number): { s: Snapshot; entries: IdMapEntry[] } {
  const s = emptySnapshot({ sourceId: 'school', name: 'Школа', timeZone: 'Asia/Yekaterinburg' });
  const entries: IdMapEntry[] = [];
  const id = (x: string) => prefix + x;
  const link = (entity: IdMapEntry['entity'], x: string) => entries.push({ entity, sourceId: x, targetId: id(x) });
  s.academicYears.push({ sourceId: id('y'), name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' });
  s.subjects.push({ sourceId: id('math'), name: 'Математика' });
  s.staff.push({ sourceId: id('t'), lastName: 'Учитель', firstName: 'Иван', birthDate: '1980-01-01' });
  ['y', 'math'].forEach((x, i) => link(i ? 'subjects' : 'academicYears', x));
  link('staff', 't');
  for (let c = 0; c < classes; c++) {
    s.classes.push({ sourceId: id(`c${c}`), academicYearId: id('y'), grade: 5, letter: 'А', name: `${c}А` });
    link('classes', `c${c}`);
    for (let p = 0; p < 25; p++) {
      s.pupils.push({ sourceId: id(`p${c}_${p}`), lastName: 'Ученик', firstName: `У${c}_${p}`, birthDate: '2015-01-01' });
      link('pupils', `p${c}_${p}`);
    }
    for (let l = 0; l < lessons; l++) {
      const date = addDays('2026-09-01', l);
      s.lessons.push({ sourceId: id(`l${c}_${l}`), groupId: id(`c${c}`), groupKind: 'class', subjectId: id('math'), teacherId: id('t'), date, lessonNumber: 1 });
      s.works.push({ sourceId: id(`w${c}_${l}`), groupId: id(`c${c}`), subjectId: id('math'), date, lessonId: id(`l${c}_${l}`), workType: 'lesson_answer' });
      link('lessons', `l${c}_${l}`);
      link('works', `w${c}_${l}`);
      for (let m = 0; m < marksPerLesson; m++) {
        s.marks.push({ sourceId: id(`m${c}_${l}_${m}`), pupilId: id(`p${c}_${m % 25}`), subjectId: id('math'), groupId: id(`c${c}`), kind: 'current', value: String(2 + (m % 4)), date, workId: id(`w${c}_${l}`) });
        link('marks', `m${c}_${l}_${m}`);
      }
    }
  }
  return { s, entries };
}

describe('plan at scale', () => {
  it('stays linear: 200 000 marks are planned in seconds, steady state and first migration', () => {
    const { s: source } = bigSchool('', 40, 200, 25);
    const { s: target, entries } = bigSchool('T-', 40, 200, 25);
    expect(source.marks).toHaveLength(200_000);
    const idMap = idMapFromEntries(entries);
    let started = Date.now();
    const steady = plan(source, target, idMap, { capabilities: fullCapabilities() });
    const steadyMs = Date.now() - started;
    expect(steady.changes).toHaveLength(0);
    expect(steady.counts.marks.unchanged).toBe(200_000);

    target.marks.forEach((m, i) => i % 10 === 0 && (m.value = '2'));
    const reallyChanged = source.marks.filter((m, i) => i % 10 === 0 && m.value !== '2').length;
    expect(reallyChanged).toBeGreaterThan(10_000);
    const updates = plan(source, target, idMap, { capabilities: fullCapabilities() });
    expect(updates.counts.marks.update).toBe(reallyChanged);
    expect(updates.changes.every((c) => c.op === 'update' && c.changedFields?.join() === 'value')).toBe(true);

    started = Date.now();
    const first = plan(source, emptySnapshot(source.school), EMPTY_ID_MAP, { capabilities: fullCapabilities() });
    const firstMs = Date.now() - started;
    expect(first.counts.marks.create).toBe(200_000);
    // Generous bounds for a shared two-core machine; a quadratic step would take hours here.
    expect(steadyMs).toBeLessThan(20_000);
    expect(firstMs).toBeLessThan(20_000);
  });
});
