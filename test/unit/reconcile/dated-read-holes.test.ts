import { chooseDatedRead, datedFingerprint, nextDatedReadState, type DatedReadState } from '../../../src/reconcile';
import { clone, smallSchool } from './helpers/fixtures';

/** Holes found in the review of the incremental nightly read (75cbd79), each closed by the commit that adds its test. */
const WINDOW = { from: '2026-10-01', to: '2026-12-31' };
const TODAY = '2026-11-20';
const classPlatformId = (id: string) => `T-${id}`;

describe('incremental dated read: the state of unsettled days', () => {
  it('reads again a day left unsettled even when the МИС then drops the whole day', () => {
    const source = smallSchool();
    const current = datedFingerprint(source, WINDOW);
    const stored: DatedReadState = { version: 1, fullAt: '2026-11-19', from: WINDOW.from, buckets: current.buckets };
    const base = { window: WINDOW, today: TODAY, fullEveryDays: 7, classPlatformId };
    const decision = chooseDatedRead({ ...base, stored, current });
    // mk1 (20.10) had a finding: its day is not settled by this run.
    const next = nextDatedReadState(decision, stored, TODAY, source, current, [{ entity: 'marks', sourceId: 'mk1' }]);
    // The school deletes the lesson of 20.10 with everything on it; its platform twin must be read to be archived.
    const changed = clone(source);
    changed.lessons = changed.lessons.filter((l) => l.sourceId !== 'l1');
    changed.works = changed.works.filter((w) => w.lessonId !== 'l1');
    changed.marks = changed.marks.filter((m) => m.workId !== 'w1');
    changed.attendance = changed.attendance.filter((a) => a.lessonId !== 'l1');
    const again = chooseDatedRead({ ...base, stored: next, current: datedFingerprint(changed, WINDOW) });
    expect(again.mode).toBe('incremental');
    expect([...again.scope.classes!]).toEqual([['T-c5a', { from: '2026-10-20', to: '2026-10-20' }]]);
  });
});
