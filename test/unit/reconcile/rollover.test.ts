import { parsePolicy } from '../../../src/config/policy';
import { yearCalendarSchema } from '../../../src/config/year-calendar';
import { guard, idMapFromEntries, plan, rollOver, type YearCalendar } from '../../../src/reconcile';
import { dnevnikLikeCapabilities, mirror, smallSchool } from './helpers/fixtures';

const calendar: YearCalendar = {
  name: '2027/2028',
  startDate: '2027-09-01',
  endDate: '2028-08-31',
  periods: [
    { sourceId: 'q1-27', kind: 'quarter', number: 1, name: '1 четверть', startDate: '2027-09-01', endDate: '2027-10-24', grades: [2, 3, 4, 5, 6, 7, 8, 9] },
    { sourceId: 'q2-27', kind: 'quarter', number: 2, name: '2 четверть', startDate: '2027-11-03', endDate: '2027-12-28', grades: [2, 3, 4, 5, 6, 7, 8, 9] },
  ],
  holidays: [{ sourceId: 'h1-27', name: 'Осенние каникулы', startDate: '2027-10-25', endDate: '2027-11-02' }],
};
const order = { orderNumber: '210-у', orderDate: '2027-05-30' };

function school() {
  const s = smallSchool();
  // A graduating class with one pupil.
  s.classes.push({ sourceId: 'c11a', academicYearId: s.academicYears[0].sourceId, grade: 11, letter: 'А', name: '11А' });
  s.pupils.push({ sourceId: 'p9', lastName: 'Выпускников', firstName: 'Олег', birthDate: '2009-03-03' });
  s.memberships.push({ sourceId: 'm9', pupilId: 'p9', groupId: 'c11a', groupKind: 'class', startDate: '2026-09-01', reason: 'enrolled' });
  return s;
}

describe('year rollover (pure)', () => {
  it('promotes classes, graduates the final grade, ends and begins memberships by order, adds the new calendar', () => {
    const current = school();
    const r = rollOver(current, { calendar, ...order });
    expect(r.to).toMatchObject({ name: '2027/2028', startDate: '2027-09-01' });
    const newClasses = r.snapshot.classes.filter((c) => c.academicYearId === r.to.sourceId).map((c) => c.name).sort();
    expect(newClasses).toEqual(['6А', '7Б']);
    expect(r.graduated).toBe(1);
    const p1 = r.snapshot.memberships.filter((m) => m.pupilId === 'p1' && m.groupKind === 'class');
    expect(p1.map((m) => [m.startDate, m.endDate, m.reason, m.orderNumber])).toEqual([
      ['2026-09-01', '2027-08-31', 'promoted', '210-у'],
      ['2027-09-01', undefined, 'promoted', '210-у'],
    ]);
    expect(r.snapshot.memberships.find((m) => m.sourceId === 'm9')).toMatchObject({ endDate: '2027-08-31', reason: 'left', orderNumber: '210-у' });
    expect(r.snapshot.memberships.some((m) => m.pupilId === 'p9' && m.startDate === '2027-09-01')).toBe(false);
    // Subgroups carried with their pupils.
    expect(r.snapshot.subgroups.filter((g) => g.sourceId.endsWith('@2027-2028'))).toHaveLength(current.subgroups.length);
    expect(r.snapshot.periods.filter((p) => p.academicYearId === r.to.sourceId).map((p) => p.sourceId)).toEqual(['q1-27', 'q2-27']);
    // The old year's journal is untouched.
    expect(r.snapshot.marks).toEqual(current.marks);
    expect(r.snapshot.attendance).toEqual(current.attendance);
    // Deterministic, and the source is not changed.
    expect(rollOver(current, { calendar, ...order }).snapshot).toEqual(r.snapshot);
    expect(current.memberships.every((m) => m.endDate === undefined)).toBe(true);
  });

  it('reset drops subgroups (memberships in them end, none begin)', () => {
    const r = rollOver(school(), { calendar, ...order, subgroups: 'reset' });
    expect(r.snapshot.subgroups.some((g) => g.sourceId.endsWith('@2027-2028'))).toBe(false);
    expect(r.snapshot.memberships.filter((m) => m.groupKind === 'subgroup' && m.startDate === '2027-09-01')).toEqual([]);
  });

  it('planned against the platform on the new year\'s first day: manual actions for what Дневник.ру cannot create, and held on its size', () => {
    const current = school();
    const { target, entries } = mirror(current);
    const r = rollOver(current, { calendar, ...order });
    const p = plan(r.snapshot, target, idMapFromEntries(entries), { capabilities: dnevnikLikeCapabilities(), today: r.to.startDate });
    expect(p.changes).toEqual([]);
    const by = (e: string, op: string) => p.manualActions.filter((a) => a.entity === e && a.op === op).length;
    expect(by('classes', 'create')).toBe(2);
    expect(by('periods', 'create')).toBe(2);
    expect(by('memberships', 'create')).toBeGreaterThanOrEqual(3);
    expect(by('memberships', 'update')).toBe(current.memberships.length);
    expect(p.manualActions.filter((a) => a.op === 'archive')).toEqual([]);
    const g = guard(p, { periods: r.snapshot.periods, policy: parsePolicy({ additionsOnly: { windows: [] } }), now: '2027-09-01T09:00:00+05:00', timeZone: 'Asia/Yekaterinburg' });
    expect(g.decision).toBe('hold');
  });
});

describe('year calendar file', () => {
  it('is validated with messages that name the field', () => {
    expect(yearCalendarSchema.parse(calendar)).toMatchObject({ name: '2027/2028' });
    const bad = yearCalendarSchema.safeParse({ ...calendar, name: '2027-2028', periods: [{ ...calendar.periods[0], endDate: '2029-01-01' }] });
    expect(bad.success).toBe(false);
    const messages = bad.error!.issues.map((i: { message: string }) => i.message).join(' | ');
    expect(messages).toContain('name: учебный год записывается как 2027/2028');
  });
});
