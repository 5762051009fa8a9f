import type { EntityCollection, Lesson, Mark, Membership, Work } from '../../../src/model';
import { REFERENCE_FIELDS, translateReferences } from '../../../src/reconcile';
import { ALL_ENTITIES } from './helpers/fixtures';

const table: Partial<Record<EntityCollection, Record<string, string>>> = {
  pupils: { p1: '1001' },
  works: { w1: '2001' },
  classes: { c5a: '3001' },
  subgroups: { g1: '3501', c5a: 'WRONG' },
  subjects: { math: '4001' },
  lessons: { l1: '5001' },
  staff: { st1: '6001' },
};
const lookup = (entity: EntityCollection, id: string) => table[entity]?.[id];

describe('translateReferences', () => {
  it('translates every reference of a mark to platform ids and leaves the rest alone', () => {
    const mark: Mark = { sourceId: 'mk1', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '5', date: '2026-10-20', workId: 'w1', lessonId: 'l1' };
    const { record, missing } = translateReferences('marks', mark, lookup);
    expect(missing).toEqual([]);
    expect(record).toEqual({ ...mark, pupilId: '1001', subjectId: '4001', groupId: '3001', workId: '2001', lessonId: '5001' });
    expect(mark.pupilId).toBe('p1');
  });

  it('resolves a group by groupKind', () => {
    const m: Membership = { sourceId: 'm', pupilId: 'p1', groupId: 'c5a', groupKind: 'subgroup', startDate: '2026-09-01', reason: 'assigned' };
    expect(translateReferences('memberships', m, lookup).record.groupId).toBe('WRONG');
    expect(translateReferences('memberships', { ...m, groupKind: 'class' }, lookup).record.groupId).toBe('3001');
  });

  it('a work group without a kind is a class first, then a subgroup', () => {
    const w: Work = { sourceId: 'w', groupId: 'g1', subjectId: 'math', date: '2026-10-20', workType: 'test' };
    expect(translateReferences('works', w, lookup).record.groupId).toBe('3501');
  });

  it('lists what it cannot translate, with field, collection and source id', () => {
    const lesson: Lesson = { sourceId: 'l9', groupId: 'c5a', groupKind: 'class', subjectId: 'art', teacherId: 'st1', substituteTeacherId: 'st9', date: '2026-10-20', lessonNumber: 3 };
    const { record, missing } = translateReferences('lessons', lesson, lookup);
    expect(missing).toEqual([
      { field: 'subjectId', entity: 'subjects', sourceId: 'art' },
      { field: 'substituteTeacherId', entity: 'staff', sourceId: 'st9' },
    ]);
    expect(record.teacherId).toBe('6001');
  });

  it('every reference field names a real field and collection', () => {
    for (const entity of ALL_ENTITIES) for (const ref of REFERENCE_FIELDS[entity]) expect(ref.field).toMatch(/Id$/);
    expect(Object.keys(REFERENCE_FIELDS).sort()).toEqual([...ALL_ENTITIES].sort());
  });
});
