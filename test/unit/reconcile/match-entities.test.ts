import { EMPTY_ID_MAP, idMapFromEntries, matchEntities, type IdMatch } from '../../../src/reconcile';
import type { EntityCollection } from '../../../src/model';
import { clone, mirror, smallSchool, snils } from './helpers/fixtures';

const methodOf = (matches: IdMatch[], entity: EntityCollection, sourceId: string) =>
  matches.find((m) => m.entity === entity && m.sourceId === sourceId);

describe('matchEntities', () => {
  it('uses the id map first', () => {
    const source = smallSchool();
    const { target, entries } = mirror(source);
    const r = matchEntities(source, target, idMapFromEntries(entries));
    expect(r.findings).toEqual([]);
    // Links the id map already holds are not repeated as new matches.
    expect(r.matches).toEqual([]);
    expect(r.byEntity.marks.sourceToTarget.get('mk3')).toBe('T-mk3');
    expect(r.byEntity.marks.targetToSource.get('T-mk3')).toBe('mk3');
    expect(Object.values(r.byEntity).reduce((n, e) => n + e.linkedByIdMap, 0)).toBe(entries.length);
  });

  it('an id map that links two source records to one platform record keeps the first link only', () => {
    const source = smallSchool();
    const { target, entries } = mirror(source);
    const damaged = [...entries, { entity: 'subjects' as const, sourceId: 'eng', targetId: 'T-math' }].filter(
      (e) => !(e.entity === 'subjects' && e.sourceId === 'eng' && e.targetId === 'T-eng'),
    );
    const r = matchEntities(source, target, idMapFromEntries(damaged));
    expect(r.byEntity.subjects.sourceToTarget.get('math')).toBe('T-math');
    // 'eng' falls back to its natural key and finds its own record.
    expect(methodOf(r.matches, 'subjects', 'eng')).toMatchObject({ targetId: 'T-eng', method: 'natural_key' });
  });

  it('matches everything by natural keys when the id map is empty, translating references first', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(r.findings).toEqual([]);
    expect(methodOf(r.matches, 'pupils', 'p1')).toMatchObject({ targetId: 'T-p1', method: 'snils' });
    expect(methodOf(r.matches, 'pupils', 'p2')).toMatchObject({ targetId: 'T-p2', method: 'name_birthdate' });
    expect(methodOf(r.matches, 'staff', 'st2')).toMatchObject({ targetId: 'T-st2', method: 'name_birthdate' });
    expect(methodOf(r.matches, 'classes', 'c5a')).toMatchObject({ targetId: 'T-c5a', method: 'natural_key' });
    expect(methodOf(r.matches, 'subgroups', 'g5a-en1')?.targetId).toBe('T-g5a-en1');
    expect(methodOf(r.matches, 'periods', 'q2')?.targetId).toBe('T-q2');
    expect(methodOf(r.matches, 'lessons', 'l3')?.targetId).toBe('T-l3');
    expect(methodOf(r.matches, 'works', 'w2')?.targetId).toBe('T-w2');
    expect(methodOf(r.matches, 'marks', 'mk4')?.targetId).toBe('T-mk4');
    expect(methodOf(r.matches, 'attendance', 'a1')?.targetId).toBe('T-a1');
    expect(methodOf(r.matches, 'memberships', 'm4')?.targetId).toBe('T-m4');
    expect(r.matches).toHaveLength(Object.values(source).reduce((n, v) => n + (Array.isArray(v) ? v.length : 0), 0));
  });

  it('normalises names: case, ё, spacing, class name spelling', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    target.pupils.find((p) => p.sourceId === 'T-p3')!.firstName = 'ПЕТР';
    target.classes.find((c) => c.sourceId === 'T-c6b')!.name = '6 б';
    target.subjects.find((c) => c.sourceId === 'T-eng')!.name = 'английский  язык';
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'pupils', 'p3')?.targetId).toBe('T-p3');
    expect(methodOf(r.matches, 'classes', 'c6b')?.targetId).toBe('T-c6b');
    expect(methodOf(r.matches, 'subjects', 'eng')?.targetId).toBe('T-eng');
  });

  it('never guesses between namesakes with the same birth date', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    target.pupils.push({ ...target.pupils.find((p) => p.sourceId === 'T-p2')!, sourceId: 'T-p2-twin' });
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'pupils', 'p2')).toBeUndefined();
    expect(r.byEntity.pupils.ambiguous.has('p2')).toBe(true);
    const f = r.findings.find((x) => x.sourceId === 'p2')!;
    expect(f.code).toBe('reconcile.ambiguous_match');
    expect(f.entity).toBe('pupils');
    expect(f.message).toContain('T-p2-twin');
    expect(f.message).not.toContain('Петрова');
  });

  it('a namesake with a different СНИЛС is another person, so the unique compatible one matches', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    source.pupils.find((p) => p.sourceId === 'p2')!.snils = snils(12);
    target.pupils.push({ ...target.pupils.find((p) => p.sourceId === 'T-p2')!, sourceId: 'T-p2-other', snils: snils(13) });
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'pupils', 'p2')).toMatchObject({ targetId: 'T-p2', method: 'name_birthdate' });
    expect(r.findings).toEqual([]);
  });

  it('the same СНИЛС on two platform records is ambiguous unless only one can be the person', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    // The platform holds the same person twice.
    target.pupils.push({ ...target.pupils.find((p) => p.sourceId === 'T-p1')!, sourceId: 'T-dup' });
    let r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(r.byEntity.pupils.ambiguous.has('p1')).toBe(true);
    expect(r.findings.find((f) => f.sourceId === 'p1')).toMatchObject({ code: 'reconcile.ambiguous_match', entity: 'pupils' });
    expect(r.findings.find((f) => f.sourceId === 'p1')!.message).toContain('СНИЛС');

    // Another person with a mistyped СНИЛС: the name and birth date decide.
    Object.assign(target.pupils.find((p) => p.sourceId === 'T-dup')!, { lastName: 'Другой', firstName: 'Человек' });
    r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'pupils', 'p1')).toMatchObject({ targetId: 'T-p1', method: 'name_birthdate' });
    expect(r.findings).toEqual([]);

    // A different birth date rules the other record out at once.
    target.pupils.find((p) => p.sourceId === 'T-dup')!.birthDate = '2010-01-01';
    r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'pupils', 'p1')).toMatchObject({ targetId: 'T-p1', method: 'snils' });
  });

  it('a name match without a birth date to compare is reported, not matched', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    const staff = target.staff.find((s) => s.sourceId === 'T-st2')!;
    delete staff.birthDate;
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'staff', 'st2')).toBeUndefined();
    const f = r.findings.find((x) => x.sourceId === 'st2')!;
    expect(f.code).toBe('reconcile.ambiguous_match');
    expect(f.message).toContain('только ФИО');
  });

  it('different birth dates are different people: no match, no finding', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    target.pupils.find((p) => p.sourceId === 'T-p3')!.birthDate = '2014-01-16';
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'pupils', 'p3')).toBeUndefined();
    expect(r.findings.filter((f) => f.sourceId === 'p3')).toEqual([]);
  });

  it('lessons match by group, date and number; two works of one lesson by type and title', () => {
    const source = smallSchool();
    source.works.push({ sourceId: 'w3', groupId: 'c5a', subjectId: 'math', date: '2026-11-10', lessonId: 'l2', workType: 'homework', title: 'Стр. 5' });
    const { target } = mirror(source);
    const tl = target.lessons.find((l) => l.sourceId === 'T-l2')!;
    tl.topic = 'другая тема';
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'lessons', 'l2')?.targetId).toBe('T-l2');
    expect(methodOf(r.matches, 'works', 'w2')?.targetId).toBe('T-w2');
    expect(methodOf(r.matches, 'works', 'w3')?.targetId).toBe('T-w3');
  });

  it('a work without a lesson matches by group, subject, date, type and title', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    delete source.works.find((w) => w.sourceId === 'w1')!.lessonId;
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'works', 'w1')?.targetId).toBe('T-w1');
  });

  it('two marks of one pupil for one work pair by value, and are ambiguous when values do not decide', () => {
    const source = smallSchool();
    source.marks.push({ sourceId: 'mk1b', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '4', date: '2026-10-20', workId: 'w1' });
    const { target } = mirror(source);
    let r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'marks', 'mk1')?.targetId).toBe('T-mk1');
    expect(methodOf(r.matches, 'marks', 'mk1b')?.targetId).toBe('T-mk1b');

    target.marks.find((m) => m.sourceId === 'T-mk1')!.value = '3';
    target.marks.find((m) => m.sourceId === 'T-mk1b')!.value = '2';
    r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(r.byEntity.marks.ambiguous).toEqual(new Set(['mk1', 'mk1b']));
  });

  it('a mark of an unmatched pupil has no key and stays unmatched', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    target.pupils = target.pupils.filter((p) => p.sourceId !== 'T-p2');
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'marks', 'mk2')).toBeUndefined();
    expect(methodOf(r.matches, 'marks', 'mk1')?.targetId).toBe('T-mk1');
  });

  it('ignores id map entries whose platform record is gone and falls back to natural keys', () => {
    const source = smallSchool();
    const { target, entries } = mirror(source);
    const stale = entries.map((e) => (e.entity === 'classes' && e.sourceId === 'c6b' ? { ...e, targetId: 'T-deleted' } : e));
    const r = matchEntities(source, clone(target), idMapFromEntries(stale));
    expect(methodOf(r.matches, 'classes', 'c6b')).toMatchObject({ targetId: 'T-c6b', method: 'natural_key' });
  });

  it('matches the same class name in different years separately', () => {
    const source = smallSchool();
    const { target } = mirror(source);
    target.academicYears.push({ sourceId: 'T-y25', name: '2025/2026', startDate: '2025-09-01', endDate: '2026-08-31' });
    target.classes.push({ sourceId: 'T-c5a-old', academicYearId: 'T-y25', grade: 5, letter: 'А', name: '5А' });
    const r = matchEntities(source, target, EMPTY_ID_MAP);
    expect(methodOf(r.matches, 'classes', 'c5a')?.targetId).toBe('T-c5a');
    expect(r.findings).toEqual([]);
  });
});
