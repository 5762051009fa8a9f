import { defaultPolicy, loadPolicyFile, parsePolicy, type Policy } from '../../../src/config/policy';
import { EjsyncError } from '../../../src/model';
import { guard, idMapFromEntries, plan, windowActive, type GuardPolicy, type Plan } from '../../../src/reconcile';
import path from 'node:path';
import { fullCapabilities, mirror, smallSchool } from './helpers/fixtures';

const TZ = 'Asia/Yekaterinburg';
/** A quiet day: outside the default additions-only window. */
const NOVEMBER = '2026-11-20T02:00:00+05:00';

function policy(overrides: Partial<Record<keyof Policy, unknown>> = {}): Policy {
  return parsePolicy(overrides);
}

function scenario(edit: (s: ReturnType<typeof smallSchool>) => void): { plan: Plan; periods: ReturnType<typeof smallSchool>['periods'] } {
  const source = smallSchool();
  const { target, entries } = mirror(source);
  edit(source);
  return { plan: plan(source, target, idMapFromEntries(entries), { capabilities: fullCapabilities() }), periods: source.periods };
}

describe('guard', () => {
  it('lets an ordinary run through unchanged', () => {
    const { plan: p, periods } = scenario((s) => (s.marks.find((m) => m.sourceId === 'mk3')!.value = '4'));
    const r = guard(p, { periods, policy: policy(), now: NOVEMBER, timeZone: TZ });
    expect(r).toMatchObject({ held: false, decision: 'proceed', reasons: [], withheld: [] });
    expect(r.plan.changes).toEqual(p.changes);
  });

  it('holds when more than 10 % of a collection would be archived, with the numbers', () => {
    const { plan: p, periods } = scenario((s) => (s.marks = s.marks.filter((m) => m.sourceId !== 'mk3')));
    const r = guard(p, { periods, policy: policy(), now: NOVEMBER, timeZone: TZ });
    expect(r.held).toBe(true);
    expect(r.decision).toBe('hold');
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'guard.threshold_archive', entity: 'marks' })]);
    expect(r.reasons[0].message).toContain('к архивации 1 из 4 (25 %), порог 10 %');
    expect(r.plan.changes).toHaveLength(1);
  });

  it('holds when more than 75 % would be updated, but not at 75 % exactly', () => {
    const bump = (n: number) => (s: ReturnType<typeof smallSchool>) => s.marks.slice(0, n).forEach((m) => (m.comment = 'исправлено'));
    const three = scenario(bump(3));
    expect(guard(three.plan, { periods: [], policy: policy(), now: NOVEMBER, timeZone: TZ }).held).toBe(false);
    const four = scenario(bump(4));
    const r = guard(four.plan, { periods: [], policy: policy(), now: NOVEMBER, timeZone: TZ });
    expect(r.held).toBe(true);
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'guard.threshold_update', entity: 'marks' })]);
    expect(r.reasons[0].message).toContain('4 из 4 (100 %), порог 75 %');
  });

  it('per-collection thresholds and the minimum number of changes come from the policy', () => {
    const { plan: p } = scenario((s) => (s.marks = s.marks.filter((m) => m.sourceId !== 'mk3')));
    expect(guard(p, { periods: [], policy: policy({ thresholds: { perEntity: { marks: { archivePercent: 30 } } } }), now: NOVEMBER, timeZone: TZ }).held).toBe(false);
    expect(guard(p, { periods: [], policy: policy({ thresholds: { minimumChanges: 2 } }), now: NOVEMBER, timeZone: TZ }).held).toBe(false);
  });

  it('takes marks and absences in a closed period out of the plan as period.closed findings', () => {
    const { plan: p, periods } = scenario((s) => {
      s.marks.find((m) => m.sourceId === 'mk1')!.value = '4'; // 20.10, 1st quarter: closed
      s.marks.find((m) => m.sourceId === 'mk3')!.value = '4'; // 10.11, 2nd quarter: open
      s.attendance.find((a) => a.sourceId === 'a2')!.status = 'excused'; // lesson of 20.10
    });
    const r = guard(p, { periods, policy: policy({ thresholds: { updatePercent: 100 } }), now: NOVEMBER, timeZone: TZ });
    expect(r.plan.changes.map((c) => c.sourceId)).toEqual(['mk3']);
    expect(r.withheld.map((c) => c.sourceId).sort()).toEqual(['a2', 'mk1']);
    const closed = r.reasons.filter((f) => f.code === 'period.closed');
    expect(closed.map((f) => [f.entity, f.sourceId])).toEqual([
      ['marks', 'mk1'],
      ['attendance', 'a2'],
    ]);
    expect(closed[0].message).toContain('«1 четверть»');
    expect(r.plan.counts.marks.update).toBe(1);
    expect(r.held).toBe(false);
  });

  it('a closed period binds only the grades it is for', () => {
    const { plan: p, periods } = scenario((s) => (s.marks.find((m) => m.sourceId === 'mk1')!.value = '4'));
    const forOthers = periods.map((x) => ({ ...x, grades: [10, 11] }));
    const r = guard(p, { periods: forOthers, policy: policy({ thresholds: { updatePercent: 100 } }), now: NOVEMBER, timeZone: TZ });
    expect(r.plan.changes.map((c) => c.sourceId)).toEqual(['mk1']);
  });

  it('in the additions-only window creates go and archives wait', () => {
    const { plan: p, periods } = scenario((s) => {
      s.marks = s.marks.filter((m) => m.sourceId !== 'mk3');
      s.subjects.push({ sourceId: 'bio', name: 'Биология' });
    });
    const now = '2026-09-01T10:00:00+05:00';
    const r = guard(p, { periods, policy: policy(), now, timeZone: TZ });
    expect(r.plan.changes.map((c) => `${c.entity}.${c.op}`)).toEqual(['subjects.create']);
    expect(r.withheld.map((c) => c.id)).toEqual(['marks.archive.mk3']);
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'guard.additions_only', severity: 'warning' })]);
    expect(r.reasons[0].message).toContain('Отметки: 1');
    expect(r.held).toBe(false);

    const held = guard(p, { periods, policy: policy({ additionsOnly: { archives: 'hold' } }), now, timeZone: TZ });
    expect(held.held).toBe(true);
    expect(held.plan.changes).toHaveLength(2);
    expect(held.reasons.map((f) => f.code)).toContain('guard.additions_only');
  });

  it('blackout windows refuse (or hold) the whole run', () => {
    const { plan: p, periods } = scenario((s) => s.subjects.push({ sourceId: 'bio', name: 'Биология' }));
    const blackout = { windows: [{ from: '12-25', to: '01-10', note: 'новогодние каникулы' }] };
    const r = guard(p, { periods, policy: policy({ blackout }), now: '2027-01-05T12:00:00+05:00', timeZone: TZ });
    expect(r).toMatchObject({ held: true, decision: 'refuse' });
    expect(r.reasons).toEqual([expect.objectContaining({ code: 'guard.blackout' })]);
    expect(r.reasons[0].message).toContain('25.12–10.01 (новогодние каникулы)');
    const hold = guard(p, { periods, policy: policy({ blackout: { ...blackout, action: 'hold' } }), now: '2026-12-25T00:30:00+05:00', timeZone: TZ });
    expect(hold.decision).toBe('hold');
    expect(guard(p, { periods, policy: policy({ blackout }), now: '2027-01-11T00:30:00+05:00', timeZone: TZ }).held).toBe(false);
  });

  it('decides the day in the school time zone', () => {
    // 19:30 UTC on 19 August is already 20 August in Perm.
    const w = { from: '08-20', to: '09-15' };
    expect(windowActive(w, '2026-08-20', '00:30')).toBe(true);
    const { plan: p, periods } = scenario((s) => (s.marks = s.marks.filter((m) => m.sourceId !== 'mk3')));
    expect(guard(p, { periods, policy: policy(), now: '2026-08-19T19:30:00Z', timeZone: TZ }).withheld).toHaveLength(1);
    expect(guard(p, { periods, policy: policy(), now: '2026-08-19T19:30:00Z', timeZone: 'Europe/Kaliningrad' }).withheld).toHaveLength(0);
  });

  it('daily time ranges in a blackout window, including over midnight', () => {
    const w = { from: '01-01', to: '12-31', timeFrom: '22:00', timeTo: '06:00' };
    expect(windowActive(w, '2026-11-20', '23:10')).toBe(true);
    expect(windowActive(w, '2026-11-20', '05:59')).toBe(true);
    expect(windowActive(w, '2026-11-20', '06:00')).toBe(false);
    expect(windowActive({ from: '2026-11-01', to: '2026-11-30' }, '2026-11-20', '12:00')).toBe(true);
    expect(windowActive({ from: '2026-11-01', to: '2026-11-30' }, '2027-11-20', '12:00')).toBe(false);
  });
});

describe('policy', () => {
  it('config/policy.json holds exactly the defaults', () => {
    const file = path.join(__dirname, '..', '..', '..', 'config', 'policy.json');
    expect(loadPolicyFile(file)).toEqual(defaultPolicy());
    expect(defaultPolicy().thresholds).toMatchObject({ archivePercent: 10, updatePercent: 75 });
    expect(defaultPolicy().additionsOnly.windows[0]).toMatchObject({ from: '08-20', to: '09-15' });
  });

  it('a parsed policy is what the guard takes', () => {
    const p: GuardPolicy = defaultPolicy();
    expect(p.blackout.action).toBe('refuse');
  });

  it.each([
    [{ thresholds: { archivePercent: 120 } }, 'policy.thresholds.archivePercent: archivePercent (порог архивации): не больше 100 %'],
    [{ thresholds: { perEntity: { lessonz: {} } } }, 'perEntity'],
    [{ additionsOnly: { windows: [{ from: '08-32', to: '09-15' }] } }, 'policy.additionsOnly.windows.0.from: from (начало окна): ожидается дата ММ-ДД'],
    [{ blackout: { windows: [{ from: '2026-06-01', to: '08-31' }] } }, 'в одном виде'],
    [{ blackout: { action: 'skip' } }, 'blackout.action: допустимо refuse'],
  ])('rejects %j with a Russian message naming the field', (raw, expected) => {
    let error: unknown;
    try {
      parsePolicy(raw);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(EjsyncError);
    expect((error as EjsyncError).code).toBe('config.invalid');
    expect((error as EjsyncError).message).toContain(expected);
  });

  it('a missing policy file is config.not_found', () => {
    expect(() => loadPolicyFile('/nonexistent/policy.json')).toThrow(expect.objectContaining({ code: 'config.not_found' }));
  });
});
