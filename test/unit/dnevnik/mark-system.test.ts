import { loadDnevnikPlatform } from '../../../src/config/platform-config';
import { valueMapsOf } from '../../../src/connectors/dnevnik';
import { EMULATOR_MARK_SYSTEMS } from '../../../src/connectors/dnevnik/emulator';
import { isFivePointSystem, markFromSystem, markInSystem, type MarkSystem } from '../../../src/mappers/dnevnik';
import { makeFinding, type EntityCollection } from '../../../src/model';
import type { Plan, PlannedChange } from '../../../src/reconcile';
import { screenPlan } from '../../../src/queue/run-pipeline/screen-plan';

const maps = valueMapsOf(loadDnevnikPlatform());
/** The published example of `marks/values` (MarkValues_GetAll): five-point with `+`/`−`. */
const mark5: MarkSystem = { type: 'mark5', values: EMULATOR_MARK_SYSTEMS.mark5 };
const mark10: MarkSystem = { type: 'mark10', values: EMULATOR_MARK_SYSTEMS.mark10 };
const passFail: MarkSystem = { type: 'test', values: ['З', 'НЗ'] };

describe('marks in the school’s mark system (issue 15 point 4)', () => {
  it('a five-point mark stays as it is in a five-point system, with its + or −', () => {
    expect(isFivePointSystem(mark5)).toBe(true);
    expect(markInSystem('4-', mark5, maps)).toEqual({ ok: true, value: '4-' });
    expect(markInSystem('5', mark5, maps)).toEqual({ ok: true, value: '5' });
  });

  it('a value the system does not list is refused before any write, naming the system and its values', () => {
    const refused = markInSystem('зач', mark5, maps);
    expect(refused.ok).toBe(false);
    expect(!refused.ok && refused.why).toContain('«З» нет в системе оценок школы «mark5»');
    expect(!refused.ok && refused.why).toContain('1-, 1, 1+');
    expect(markInSystem('4-', { type: 'mark5', values: ['1', '2', '3', '4', '5'] }, maps).ok).toBe(false);
    expect(markInSystem('отл', mark5, maps)).toMatchObject({ ok: false });
  });

  it('a five-point mark is never sent into a ten-point system as the same digit; the school’s table translates it', () => {
    expect(isFivePointSystem(mark10)).toBe(false);
    const refused = markInSystem('5', mark10, maps);
    expect(refused).toMatchObject({ ok: false });
    expect(!refused.ok && refused.why).toContain('markSystemValues.mark10');
    const withTable = { ...maps, markSystemValues: { MARK10: { '5': '10', '4': '8', '3': '6', '2': '4' } } };
    expect(markInSystem('5', mark10, withTable)).toEqual({ ok: true, value: '10' });
    // And back: the platform's 8 is the МИС's 4 (the table inverted), an unmapped 7 is nothing.
    expect(markFromSystem('8', mark10, withTable)).toBe('4');
    expect(markFromSystem('7', mark10, withTable)).toBeNull();
    expect(markFromSystem('5', mark10, maps)).toBeNull();
  });

  it('non-numeric marks go through markValues and must be in the system; the system’s spelling is sent', () => {
    expect(markInSystem('зач', passFail, maps)).toEqual({ ok: true, value: 'З' });
    expect(markInSystem('зач', { type: 'test', values: ['з', 'нз'] }, maps)).toEqual({ ok: true, value: 'з' });
    expect(markFromSystem('НЗ', passFail, maps)).toBe('незач');
    expect(markFromSystem('NA', mark5, maps)).toBe('н/а');
    expect(markFromSystem('4-', mark5, maps)).toBe('4-');
  });

  it('an unknown system holds nothing', () => {
    expect(markInSystem('5', null, maps)).toMatchObject({ ok: false, why: expect.stringContaining('не прочитана') });
  });
});

describe('screenPlan: what the platform cannot take leaves the plan as a finding', () => {
  const change = (entity: EntityCollection, n: number, value?: string): PlannedChange => ({ id: `${entity}.create.s${n}`, entity, op: 'create', sourceId: `s${n}`, after: { sourceId: `s${n}`, value } as never, phase: 0 });

  it('takes the refused changes out, counts them as findings, keeps the rest in order', async () => {
    const counts = Object.fromEntries(['marks', 'works'].map((e) => [e, { create: 2, update: 0, archive: 0, unchanged: 0, manual: 0, findings: 0, matched: 0 }])) as unknown as Plan['counts'];
    const planned: Plan = { changes: [change('works', 1), change('marks', 2, 'зач'), change('works', 3), change('marks', 4, '5')], manualActions: [], findings: [], matches: [], counts, unmatchedTarget: {} as Plan['unmatchedTarget'] };
    const refusal = makeFinding('dnevnik.mark_not_in_system', { entity: 'marks', sourceId: 's2', detail: 'test' });
    const screened = await screenPlan({ screen: async (changes) => new Map(changes.filter((c) => (c.after as { value?: string }).value === 'зач').map((c) => [c.id, refusal])) }, planned);
    expect(screened.changes.map((c) => c.sourceId)).toEqual(['s1', 's3', 's4']);
    expect(screened.counts.marks).toMatchObject({ create: 1, findings: 1 });
    expect(screened.counts.works).toMatchObject({ create: 2, findings: 0 });
    expect(screened.findings).toEqual([refusal]);
    expect(await screenPlan({}, planned)).toBe(planned);
  });
});
