import { describePlanDifference, planDifference, type ComparableChange } from '../../../src/queue/run-pipeline/plan-difference';
import { undoMismatch } from '../../../src/queue/run-pipeline/undo-check';

const rules = {
  comparableFields: { works: ['groupId', 'subjectId', 'lessonId', 'date', 'workType', 'title'], marks: ['pupilId', 'workId', 'value'] },
  comparison: { platformFills: { works: ['lessonId'] }, fallbacks: { works: { title: 'description' } } },
};

describe('undoMismatch: is an undo what the platform shows?', () => {
  it('an undone create must be gone', () => {
    expect(undoMismatch({ entity: 'marks', op: 'archive' }, null, rules)).toBeNull();
    expect(undoMismatch({ entity: 'marks', op: 'archive' }, { sourceId: '9', value: '5' }, rules)).toBe('запись осталась на платформе');
  });

  it('an undone update must be back at its before-value in the fields the platform holds', () => {
    const before = { sourceId: '9', pupilId: 'p', workId: 'w', value: '4', date: '2026-09-07' };
    expect(undoMismatch({ entity: 'marks', op: 'update', after: before }, { sourceId: '9', pupilId: 'p', workId: 'w', value: '4' }, rules)).toBeNull();
    expect(undoMismatch({ entity: 'marks', op: 'update', after: before }, { sourceId: '9', pupilId: 'p', workId: 'w', value: '2' }, rules)).toBe('на платформе другое значение: value');
    expect(undoMismatch({ entity: 'marks', op: 'create', after: before }, null, rules)).toBe('записи нет на платформе');
  });

  it('a work: the lesson the platform fills counts only when given; the description stands in for an empty title', () => {
    const work = { sourceId: 'w', groupId: 'g', subjectId: 's', date: '2026-09-07', workType: 'control', description: 'Входная' };
    const found = { sourceId: 'w', groupId: 'g', subjectId: 's', lessonId: 'l', date: '2026-09-07', workType: 'control', title: 'Входная' };
    expect(undoMismatch({ entity: 'works', op: 'create', after: work }, found, rules)).toBeNull();
    expect(undoMismatch({ entity: 'works', op: 'create', after: { ...work, lessonId: 'other' } }, found, rules)).toBe('на платформе другое значение: lessonId');
  });
});

describe('planDifference: the approved plan against the plan made again at approval', () => {
  const change = (id: string, value: string, extra: Partial<ComparableChange> = {}): ComparableChange => ({
    changeId: `marks.archive.${id}`,
    entity: 'marks',
    op: 'archive',
    sourceId: id,
    targetId: `t-${id}`,
    before: { sourceId: `t-${id}`, value, pupilId: 'p' },
    ...extra,
  });

  it('the same plan read back from the store (keys in another order, no undefined members) is no difference', () => {
    const stored = [{ ...change('m1', '5'), before: { pupilId: 'p', value: '5', sourceId: 't-m1' }, after: undefined }];
    expect(planDifference(stored, [change('m1', '5')])).toBeNull();
  });

  it('names what was added, what is no longer needed and what changed', () => {
    const d = planDifference([change('m1', '5'), change('m2', '4')], [change('m1', '3'), change('m3', '2')])!;
    expect(d.added.map((c) => c.sourceId)).toEqual(['m3']);
    expect(d.removed.map((c) => c.sourceId)).toEqual(['m2']);
    expect(d.changed.map((c) => c.sourceId)).toEqual(['m1']);
    expect(describePlanDifference(d)).toBe('новых изменений 1 (Отметки: удаление m3); больше не нужно 1 (Отметки: удаление m2); изменилось 1 (Отметки: удаление m1)');
  });
});
