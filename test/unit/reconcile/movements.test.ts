import { parsePolicy } from '../../../src/config/policy';
import { guard, idMapFromEntries, plan } from '../../../src/reconcile';
import { dnevnikLikeCapabilities, fullCapabilities, mirror, smallSchool } from './helpers/fixtures';

const TODAY = '2026-11-20';

/** The school as the platform holds it, then the МИС's movements by order of the director. */
function school() {
  const source = smallSchool();
  const { target, entries } = mirror(source);
  return { source, target, idMap: idMapFromEntries(entries) };
}

describe('movements: leavers and transfers by order', () => {
  it('a leaver ends the platform membership by date, with the order — a manual action where the API cannot', () => {
    const { source, target, idMap } = school();
    const m = source.memberships.find((x) => x.pupilId === 'p2' && x.groupKind === 'class')!;
    Object.assign(m, { endDate: '2026-11-13', reason: 'left', orderNumber: '112-у', orderDate: '2026-11-12' });
    const p = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities(), today: TODAY });
    expect(p.changes).toEqual([]);
    const action = p.manualActions.find((a) => a.entity === 'memberships')!;
    expect(action).toMatchObject({ op: 'update', sourceId: m.sourceId, title: expect.stringMatching(/^Отметить выбытие ученика из класса /) });
    expect(action.fields).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ label: 'Дата выбытия', value: '13.11.2026' }),
        expect.objectContaining({ label: 'Номер приказа', value: '112-у' }),
        expect.objectContaining({ label: 'Дата приказа', value: '12.11.2026' }),
      ]),
    );
    // Never deleted and re-created; a leaver's marks and absences stay.
    expect(p.manualActions.filter((a) => a.op === 'archive')).toEqual([]);
    expect(p.counts.marks.archive + p.counts.attendance.archive).toBe(0);
  });

  it('where the API can, the end is a dated update; once the platform shows it ended, nothing more', () => {
    const { source, target, idMap } = school();
    const m = source.memberships[0];
    Object.assign(m, { endDate: '2026-11-13', reason: 'left', orderNumber: '112-у', orderDate: '2026-11-12' });
    const p = plan(source, target, idMap, { capabilities: fullCapabilities(), today: TODAY });
    expect(p.changes.map((c) => [c.entity, c.op, c.sourceId, c.changedFields])).toEqual([['memberships', 'update', m.sourceId, ['endDate', 'reason', 'orderNumber', 'orderDate']]]);
    Object.assign(target.memberships[0], { endDate: '2026-11-13' });
    expect(plan(source, target, idMap, { capabilities: fullCapabilities(), today: TODAY }).changes).toEqual([]);
    target.memberships.splice(0, 1);
    const gone = plan(source, target, idMap, { capabilities: fullCapabilities(), today: TODAY });
    expect(gone.changes).toEqual([]);
    expect(gone.manualActions).toEqual([]);
  });

  it('a transfer: the old class ended by date, the new one joined from its date — no delete, no re-create', () => {
    const { source, target, idMap } = school();
    const old = source.memberships.find((x) => x.pupilId === 'p2' && x.groupKind === 'class')!;
    const other = source.classes.find((c) => c.sourceId !== old.groupId)!;
    Object.assign(old, { endDate: '2026-11-15', reason: 'transferred', orderNumber: '115-у', orderDate: '2026-11-14' });
    source.memberships.push({ sourceId: 'm-p2-new', pupilId: 'p2', groupId: other.sourceId, groupKind: 'class', startDate: '2026-11-16', reason: 'transferred', orderNumber: '115-у', orderDate: '2026-11-14' });
    const p = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities(), today: TODAY });
    const moves = p.manualActions.filter((a) => a.entity === 'memberships').map((a) => [a.op, a.sourceId]);
    expect(moves).toEqual([
      ['update', old.sourceId],
      ['create', 'm-p2-new'],
    ]);
    expect(p.manualActions.find((a) => a.sourceId === 'm-p2-new')!.fields).toEqual(expect.arrayContaining([expect.objectContaining({ label: 'Дата зачисления', value: '16.11.2026' })]));
  });

  it('a membership that ended before the platform ever had it is not created', () => {
    const { source, target, idMap } = school();
    source.memberships.push({ sourceId: 'm-old', pupilId: 'p1', groupId: source.classes[1].sourceId, groupKind: 'class', startDate: '2026-09-01', endDate: '2026-09-30', reason: 'transferred' });
    const p = plan(source, target, idMap, { capabilities: fullCapabilities(), today: TODAY });
    expect(p.changes).toEqual([]);
  });
});

describe('movements and the guard', () => {
  it('many leavers at once hold the run like many archives would', () => {
    const { source, target, idMap } = school();
    for (const m of source.memberships.slice(0, 2)) Object.assign(m, { endDate: '2026-11-13', reason: 'left' });
    const p = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities(), today: TODAY });
    const r = guard(p, { periods: source.periods, policy: parsePolicy({ additionsOnly: { windows: [] } }), now: '2026-11-20T10:00:00+05:00', timeZone: 'Asia/Yekaterinburg' });
    expect(r.decision).toBe('hold');
    expect(r.reasons).toContainEqual(expect.objectContaining({ code: 'guard.threshold_archive', entity: 'memberships' }));
  });
});

describe('a pupil who reappears', () => {
  it('an ended membership that the export shows open again is re-opened on the same platform record, not re-created', () => {
    const { source, target, idMap } = school();
    const m = source.memberships.find((x) => x.pupilId === 'p2' && x.groupKind === 'class')!;
    const onPlatform = target.memberships.find((x) => idMap.sourceId('memberships', x.sourceId) === m.sourceId)!;
    Object.assign(onPlatform, { endDate: '2026-11-13' });
    const p = plan(source, target, idMap, { capabilities: fullCapabilities(), today: TODAY });
    expect(p.changes.map((c) => [c.entity, c.op, c.sourceId, c.targetId, c.changedFields])).toEqual([['memberships', 'update', m.sourceId, onPlatform.sourceId, ['endDate']]]);
    expect(p.changes[0].after).not.toHaveProperty('endDate');
  });
});

describe('a pupil who reappears, where the API cannot', () => {
  it('is one manual action to re-open the same membership (cancel the leaving), not a new enrolment', () => {
    const { source, target, idMap } = school();
    const m = source.memberships.find((x) => x.pupilId === 'p2' && x.groupKind === 'class')!;
    const onPlatform = target.memberships.find((x) => idMap.sourceId('memberships', x.sourceId) === m.sourceId)!;
    Object.assign(onPlatform, { endDate: '2026-11-13' });
    const p = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities(), today: TODAY });
    expect(p.manualActions.map((a) => [a.entity, a.op, a.sourceId, a.targetId])).toEqual([['memberships', 'update', m.sourceId, onPlatform.sourceId]]);
    expect(p.manualActions[0].title).toMatch(/^Восстановить ученика в составе класса .+ \(отменить выбытие\)$/);
  });
});

describe('a platform that marks ended memberships without a date (Дневник.ру: membershipstatus Archive)', () => {
  it('a leaver the platform shows ended is done: the manual action is not planned again', () => {
    const { source, target, idMap } = school();
    const m = source.memberships.find((x) => x.pupilId === 'p2' && x.groupKind === 'class')!;
    Object.assign(m, { endDate: '2026-11-13', reason: 'left', orderNumber: '112-у', orderDate: '2026-11-12' });
    expect(plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities(), today: TODAY }).manualActions.filter((a) => a.entity === 'memberships')).toHaveLength(1);
    Object.assign(target.memberships.find((x) => x.sourceId === `T-${m.sourceId}`)!, { ended: true });
    const after = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities(), today: TODAY });
    expect(after.manualActions.filter((a) => a.entity === 'memberships')).toEqual([]);
    expect(after.changes).toEqual([]);
  });

  it('a pupil who reappears where the platform shows the membership ended is restored on the same record', () => {
    const { source, target, idMap } = school();
    const m = source.memberships.find((x) => x.pupilId === 'p2' && x.groupKind === 'class')!;
    Object.assign(target.memberships.find((x) => x.sourceId === `T-${m.sourceId}`)!, { ended: true });
    // Compared as Дневник.ру compares memberships: by pupil and group only.
    const p = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities(), today: TODAY, comparableFields: { memberships: ['pupilId', 'groupId'] } });
    const restore = p.manualActions.filter((a) => a.entity === 'memberships');
    expect(restore.map((a) => [a.op, a.sourceId, a.title])).toEqual([['update', m.sourceId, expect.stringMatching(/^Восстановить ученика в составе класса .*\(отменить выбытие\)$/)]]);
    expect(p.manualActions.filter((a) => a.entity === 'pupils' || a.op === 'create')).toEqual([]);
  });

  it('an ended membership the МИС no longer lists is left alone, not archived again', () => {
    const { source, target, idMap } = school();
    const i = source.memberships.findIndex((x) => x.pupilId === 'p2' && x.groupKind === 'class');
    const [gone] = source.memberships.splice(i, 1);
    Object.assign(target.memberships.find((x) => x.sourceId === `T-${gone.sourceId}`)!, { ended: true });
    const p = plan(source, target, idMap, { capabilities: fullCapabilities(), today: TODAY });
    expect(p.changes.filter((c) => c.entity === 'memberships')).toEqual([]);
    expect(p.manualActions.filter((a) => a.entity === 'memberships')).toEqual([]);
  });
});
