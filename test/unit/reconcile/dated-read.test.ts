import type { Snapshot } from '../../../src/model';
import {
  chooseDatedRead,
  datedFingerprint,
  datedReadSummary,
  describeDatedRead,
  idMapFromEntries,
  nextDatedReadState,
  plan,
  type DatedReadState,
} from '../../../src/reconcile';
import { clone, fullCapabilities, mirror, smallSchool } from './helpers/fixtures';

const WINDOW = { from: '2026-10-01', to: '2026-12-31' };
const TODAY = '2026-11-20';
const classPlatformId = (id: string) => `T-${id}`;

function stateOf(source: Snapshot, fullAt = '2026-11-19'): DatedReadState {
  return { version: 1, fullAt, from: WINDOW.from, buckets: datedFingerprint(source, WINDOW).buckets };
}

describe('datedFingerprint', () => {
  it('puts a lesson, its works, their marks and its attendance in one class-and-day bucket (a subgroup with its class)', () => {
    const f = datedFingerprint(smallSchool(), WINDOW);
    // mk4 (a quarter mark, no work) is dated by its own group and day (25.10)
    expect(Object.keys(f.buckets).sort()).toEqual(['c5a|2026-10-20', 'c5a|2026-10-25', 'c5a|2026-11-10']);
    expect(Object.keys(datedFingerprint(smallSchool(), { from: '2026-10-21', to: '2026-11-09' }).buckets)).toEqual(['c5a|2026-10-25']);
  });

  it('does not depend on the order of records or of their keys', () => {
    const a = smallSchool();
    const b = clone(a);
    b.marks.reverse();
    b.marks[0] = Object.fromEntries(Object.entries(b.marks[0]).reverse()) as never;
    expect(datedFingerprint(b, WINDOW).buckets).toEqual(datedFingerprint(a, WINDOW).buckets);
  });

  it('changes only the bucket of a changed record', () => {
    const a = smallSchool();
    const b = clone(a);
    b.marks.find((m) => m.sourceId === 'mk3')!.value = '4';
    const fa = datedFingerprint(a, WINDOW).buckets;
    const fb = datedFingerprint(b, WINDOW).buckets;
    expect(fb['c5a|2026-10-20']).toBe(fa['c5a|2026-10-20']);
    expect(fb['c5a|2026-11-10']).not.toBe(fa['c5a|2026-11-10']);
  });
});

describe('chooseDatedRead', () => {
  const source = smallSchool();
  const current = datedFingerprint(source, WINDOW);
  const base = { window: WINDOW, today: TODAY, fullEveryDays: 7, current, classPlatformId };

  it.each([
    ['no state yet', { stored: undefined }, 'first'],
    ['the last full read a week ago', { stored: stateOf(source, '2026-11-13') }, 'due'],
    ['fullEveryDays 0', { stored: stateOf(source), fullEveryDays: 0 }, 'always'],
    ['a wider window than the state knew', { stored: { ...stateOf(source), from: '2026-10-15' } }, 'window'],
  ])('reads everything when %s', (_what, over, reason) => {
    const d = chooseDatedRead({ ...base, ...over });
    expect(d).toMatchObject({ mode: 'full', reason, scope: WINDOW });
    expect(d.scope.classes).toBeUndefined();
  });

  it('reads no dated record of an unchanged school', () => {
    const d = chooseDatedRead({ ...base, stored: stateOf(source) });
    expect(d.mode).toBe('incremental');
    expect(d.scope.classes?.size).toBe(0);
  });

  it('reads only the class and days that changed, up to the day of a later mark', () => {
    const changed = clone(source);
    changed.marks.push({ sourceId: 'mk9', pupilId: 'p2', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '5', date: '2026-11-12', workId: 'w2', lessonId: 'l2' });
    const d = chooseDatedRead({ ...base, stored: stateOf(source), current: datedFingerprint(changed, WINDOW) });
    expect(d).toMatchObject({ mode: 'incremental', changedDays: 1 });
    expect([...d.scope.classes!]).toEqual([['T-c5a', { from: '2026-11-10', to: '2026-11-12' }]]);
  });

  it('reads a day the МИС no longer has (a lesson deleted there), so that its platform twin can be archived', () => {
    const changed = clone(source);
    changed.lessons = changed.lessons.filter((l) => l.sourceId !== 'l1');
    changed.works = changed.works.filter((w) => w.lessonId !== 'l1');
    changed.marks = changed.marks.filter((m) => m.workId !== 'w1');
    changed.attendance = changed.attendance.filter((a) => a.lessonId !== 'l1');
    const d = chooseDatedRead({ ...base, stored: stateOf(source), current: datedFingerprint(changed, WINDOW) });
    expect([...d.scope.classes!]).toEqual([['T-c5a', { from: '2026-10-20', to: '2026-10-20' }]]);
  });

  it('reads everything when a changed day belongs to a class the platform does not have', () => {
    const changed = clone(source);
    changed.lessons[0].topic = 'Другая тема';
    const d = chooseDatedRead({ ...base, stored: stateOf(source), current: datedFingerprint(changed, WINDOW), classPlatformId: () => undefined });
    expect(d).toMatchObject({ mode: 'full', reason: 'unmapped_class' });
  });

  it('leaves out of the next state the days of records not settled, so the next run reads them again', () => {
    const decision = chooseDatedRead({ ...base, stored: stateOf(source) });
    const next = nextDatedReadState(decision, stateOf(source, '2026-11-18'), TODAY, source, current, [{ entity: 'marks', sourceId: 'mk1' }]);
    // The unsettled day stays, with a digest no day has: read again even if the МИС drops it whole.
    expect(next.buckets).toEqual({ ...current.buckets, 'c5a|2026-10-20': '' });
    expect(next.fullAt).toBe('2026-11-18'); // an incremental run does not count as a full one
    const again = chooseDatedRead({ ...base, stored: next });
    expect([...again.scope.classes!]).toEqual([['T-c5a', { from: '2026-10-20', to: '2026-10-20' }]]);
  });

  it('describes itself in Russian', () => {
    const d = chooseDatedRead({ ...base, stored: stateOf(source) });
    expect(describeDatedRead(datedReadSummary({ decision: d, notCompared: 9 }))).toMatch(/нет изменений/);
    expect(describeDatedRead(datedReadSummary({ decision: chooseDatedRead(base), notCompared: 0 }))).toMatch(/полная сверка за 01\.10\.2026–31\.12\.2026 \(первая сверка/);
  });
});

describe('plan with a dated scope', () => {
  const capabilities = fullCapabilities();

  it('never creates again what lies outside the window: the platform twin was not read', () => {
    const source = smallSchool();
    const { target, entries } = mirror(source);
    const idMap = idMapFromEntries(entries);
    // The platform was read from 01.11 only: the October lesson, work, marks and absence are not in the answer.
    const read = clone(target);
    read.lessons = read.lessons.filter((l) => l.date >= '2026-11-01');
    read.works = read.works.filter((w) => w.date >= '2026-11-01');
    read.marks = read.marks.filter((m) => m.date >= '2026-11-01');
    read.attendance = read.attendance.filter((a) => a.lessonId !== 'T-l1');
    const unscoped = plan(source, read, idMap, { capabilities });
    expect(unscoped.changes.filter((c) => c.op === 'create').map((c) => c.sourceId).sort()).toEqual(['a2', 'l1', 'mk1', 'mk2', 'mk4', 'w1']);
    const p = plan(source, read, idMap, { capabilities, datedScope: { from: '2026-11-01', to: '2026-12-31' } });
    expect(p.changes).toEqual([]);
    expect(p.datedRead).toEqual({ notCompared: 6, twinsUnread: 0 });
    expect(p.findings.map((f) => f.code)).not.toContain('reconcile.outside_window');
  });

  it('says how many records older than the window never reached the platform', () => {
    const source = smallSchool();
    const { target, entries } = mirror(source);
    const read = clone(target);
    read.lessons = read.lessons.filter((l) => l.date >= '2026-11-01');
    read.works = read.works.filter((w) => w.date >= '2026-11-01');
    read.marks = read.marks.filter((m) => m.date >= '2026-11-01');
    read.attendance = read.attendance.filter((a) => a.lessonId !== 'T-l1');
    const known = entries.filter((e) => !['l1', 'w1', 'mk1'].includes(e.sourceId));
    const p = plan(source, read, idMapFromEntries(known), { capabilities, datedScope: { from: '2026-11-01', to: '2026-12-31' } });
    expect(p.changes).toEqual([]);
    expect(p.findings.find((f) => f.code === 'reconcile.outside_window')?.message).toMatch(/: 3; окно сверки с 2026-11-01/);
  });

  it('compares the classes and days read, leaves the others alone and archives only within them', () => {
    const source = smallSchool();
    const { target, entries } = mirror(source);
    const idMap = idMapFromEntries(entries);
    const changed = clone(source);
    changed.marks.find((m) => m.sourceId === 'mk3')!.value = '2'; // 10.11: read
    changed.marks = changed.marks.filter((m) => m.sourceId !== 'mk2'); // 20.10: not read
    const read = clone(target);
    read.lessons = read.lessons.filter((l) => l.date === '2026-11-10');
    read.works = read.works.filter((w) => w.date === '2026-11-10');
    read.marks = read.marks.filter((m) => m.date === '2026-11-10');
    read.attendance = read.attendance.filter((a) => a.lessonId !== 'T-l1');
    const scope = { ...WINDOW, classes: new Map([['T-c5a', { from: '2026-11-10', to: '2026-11-10' }]]) };
    const p = plan(changed, read, idMap, { capabilities, datedScope: scope });
    expect(p.changes.map((c) => `${c.op}:${c.sourceId}`)).toEqual(['update:mk3']);
    // The guard's base counts the linked marks on days not read (mk1, mk4) as a full read would:
    // one archive of a day read is not «1 of 1».
    expect(p.counts.marks.matched).toBe(3);
    expect(p.datedRead?.inScope).toEqual(new Set(['lessons\u0000l2', 'lessons\u0000l3', 'works\u0000w2', 'marks\u0000mk3', 'attendance\u0000a1']));
    // A platform record on an unread day is never archived, even when the answer holds it.
    const p2 = plan(changed, target, idMap, { capabilities, datedScope: scope });
    expect(p2.changes.map((c) => `${c.op}:${c.sourceId}`)).toEqual(['update:mk3']);
    // Without the scope, the same answer archives the deleted mark: the scope is what prevents it.
    expect(plan(changed, target, idMap, { capabilities }).changes.map((c) => `${c.op}:${c.sourceId}`).sort()).toEqual(['archive:mk2', 'update:mk3']);
  });
});
