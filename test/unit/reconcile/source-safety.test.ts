import { parsePolicy } from '../../../src/config/policy';
import { makeFinding, type Finding } from '../../../src/model';
import { guard, idMapFromEntries, plan, sourceGapsOf, type Plan } from '../../../src/reconcile';
import { dnevnikLikeCapabilities, fullCapabilities, mirror, smallSchool } from './helpers/fixtures';

const TZ = 'Asia/Yekaterinburg';
const NOVEMBER = '2026-11-20T02:00:00+05:00';
const policy = (o: Record<string, unknown> = {}) => parsePolicy({ additionsOnly: { windows: [] }, ...o });

function linked(capabilities = fullCapabilities()) {
  const source = smallSchool();
  const { target, entries } = mirror(source);
  return { source, target, idMap: idMapFromEntries(entries), capabilities };
}

const ops = (p: Plan) => p.changes.map((c) => `${c.entity} ${c.op} ${c.sourceId}`);

describe('source gaps: unknown is not absent', () => {
  it('archives a mark cleanly absent from a valid source, but not one whose row was rejected', () => {
    const { source, target, idMap, capabilities } = linked();
    source.marks = source.marks.filter((m) => m.sourceId !== 'mk3');
    expect(ops(plan(source, target, idMap, { capabilities }))).toEqual(['marks archive mk3']);
    const rejected = { findings: [makeFinding('mis.unknown_mark_value', { file: 'marks.csv', row: 3, entity: 'marks', sourceId: 'mk3' })], rejected: { marks: ['mk3'] } };
    const p = plan(source, target, idMap, { capabilities, gaps: sourceGapsOf(rejected) });
    expect(p.changes).toEqual([]);
    expect(p.findings).toEqual([expect.objectContaining({ code: 'reconcile.source_incomplete', entity: 'marks', severity: 'warning' })]);
    expect(p.counts.marks).toMatchObject({ archive: 0, unchanged: 4 });
  });

  it('an error in a file makes its collection and the collections that refer to it incomplete', () => {
    const gaps = sourceGapsOf({ findings: [makeFinding('mis.malformed_row', { file: 'Pupils.CSV', row: 7 })], fileCollections: { 'pupils.csv': ['pupils'] } });
    for (const e of ['pupils', 'memberships', 'marks', 'attendance', 'guardianLinks'] as const) expect(gaps.incomplete.has(e)).toBe(true);
    for (const e of ['subjects', 'staff', 'classes', 'lessons', 'works'] as const) expect(gaps.incomplete.has(e)).toBe(false);
  });

  it('an error that names no known file or collection makes everything incomplete; warnings change nothing', () => {
    expect(sourceGapsOf({ findings: [makeFinding('input.binary_file', { file: 'x.bin' })] }).incomplete.size).toBe(17);
    expect(sourceGapsOf({ findings: [makeFinding('mis.unknown_column', { file: 'marks.csv', field: 'x' })] }).incomplete.size).toBe(0);
  });

  it('a delta package archives only what it marks deleted', () => {
    const { source, target, idMap, capabilities } = linked();
    source.marks = source.marks.filter((m) => !['mk3', 'mk4'].includes(m.sourceId));
    const p = plan(source, target, idMap, { capabilities, gaps: sourceGapsOf({ findings: [], mode: 'delta', deleted: { marks: ['mk4'] } }) });
    expect(ops(p)).toEqual(['marks archive mk4']);
  });

  it('a rejected field is neither compared nor written; the rest of the record is', () => {
    const { source, target, idMap, capabilities } = linked();
    const pupil = source.pupils.find((p) => p.snils !== undefined)!;
    delete pupil.snils;
    pupil.lastName = 'Новикова';
    const finding: Finding = makeFinding('mis.invalid_snils', { file: 'pupils.csv', row: 2, entity: 'pupils', sourceId: pupil.sourceId, field: 'snils' });
    const read = { findings: [finding], rejectedFields: { pupils: { [pupil.sourceId]: ['snils'] } } };
    const p = plan(source, target, idMap, { capabilities, gaps: sourceGapsOf(read) });
    expect(p.changes.map((c) => [c.sourceId, c.changedFields])).toEqual([[pupil.sourceId, ['lastName']]]);
    // Without the gap the missing СНИЛС would have been "cleared" on the platform.
    expect(plan(source, target, idMap, { capabilities }).changes[0].changedFields).toEqual(['lastName', 'snils']);
    // A finding about a kept record leaves the collection complete.
    expect(sourceGapsOf(read).incomplete.has('pupils')).toBe(false);
  });
});

describe('guard: errors in the source stop the run', () => {
  const errors = [makeFinding('mis.unknown_mark_value', { file: 'marks.csv', entity: 'marks', row: 1 }), makeFinding('mis.unknown_mark_value', { file: 'marks.csv', entity: 'marks', row: 2 })];

  it('holds a run whose export has errors, naming the codes', () => {
    const { source, target, idMap, capabilities } = linked();
    const r = guard(plan(source, target, idMap, { capabilities }), { periods: source.periods, policy: policy(), now: NOVEMBER, timeZone: TZ, sourceFindings: errors });
    expect(r.decision).toBe('hold');
    expect(r.reasons[0]).toMatchObject({ code: 'guard.source_errors', severity: 'error' });
    expect(r.reasons[0].message).toContain('mis.unknown_mark_value ×2');
  });

  it('refuses a run whose export lacks a required file', () => {
    const { source, target, idMap, capabilities } = linked();
    const missing = [makeFinding('mis.missing_file', { file: 'pupils.csv' })];
    const r = guard(plan(source, target, idMap, { capabilities }), { periods: source.periods, policy: policy({ sourceErrors: 'deliver_valid' }), now: NOVEMBER, timeZone: TZ, sourceFindings: missing });
    expect(r.decision).toBe('refuse');
    expect(r.reasons[0]).toMatchObject({ code: 'guard.source_incomplete' });
    expect(r.reasons[0].message).toContain('pupils.csv');
  });

  it('delivers what is valid when the policy says so, unless the reporting periods are unknown', () => {
    const { source, target, idMap, capabilities } = linked();
    const p = plan(source, target, idMap, { capabilities });
    const ok = guard(p, { periods: source.periods, policy: policy({ sourceErrors: 'deliver_valid' }), now: NOVEMBER, timeZone: TZ, sourceFindings: errors, sourceGaps: sourceGapsOf({ findings: errors }) });
    expect(ok.decision).toBe('proceed');
    expect(ok.reasons).toEqual([expect.objectContaining({ code: 'guard.source_errors', severity: 'warning' })]);
    const periodErrors = [makeFinding('mis.invalid_value', { file: 'periods.csv', entity: 'periods', row: 1 })];
    const held = guard(p, { periods: source.periods, policy: policy({ sourceErrors: 'deliver_valid' }), now: NOVEMBER, timeZone: TZ, sourceFindings: periodErrors, sourceGaps: sourceGapsOf({ findings: periodErrors }) });
    expect(held.decision).toBe('hold');
  });

  it('an unknown sourceErrors value is refused with a Russian message', () => {
    expect(() => parsePolicy({ sourceErrors: 'ignore' })).toThrow(/sourceErrors: допустимо hold/);
  });
});

describe('guard: thresholds count removals done by hand', () => {
  it('holds when pupils would be archived by manual actions beyond 10 %', () => {
    const { source, target, idMap } = linked(dnevnikLikeCapabilities());
    source.pupils = source.pupils.filter((p) => p.sourceId !== 'p2');
    source.memberships = source.memberships.filter((m) => m.pupilId !== 'p2');
    source.guardianLinks = source.guardianLinks.filter((l) => l.pupilId !== 'p2');
    const p = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities() });
    expect(p.manualActions.filter((a) => a.op === 'archive' && a.entity === 'pupils')).toHaveLength(1);
    expect(p.changes.filter((c) => c.entity === 'pupils')).toEqual([]);
    const r = guard(p, { periods: source.periods, policy: policy(), now: NOVEMBER, timeZone: TZ });
    expect(r.decision).toBe('hold');
    expect(r.reasons).toContainEqual(expect.objectContaining({ code: 'guard.threshold_archive', entity: 'pupils' }));
  });
});

describe('nothing the export says vanishes silently', () => {
  it('reports collections the platform cannot take and fields it does not hold, with counts only', () => {
    const { source, target, idMap } = linked(dnevnikLikeCapabilities());
    const caps = dnevnikLikeCapabilities();
    delete caps.timetable;
    const topics0 = source.lessons.filter((l) => l.topic).length;
    source.lessons.find((l) => !l.topic)!.topic = 'Дроби';
    const p = plan(source, target, idMap, { capabilities: caps, comparableFields: { lessons: ['groupId', 'subjectId', 'date', 'lessonNumber'] } });
    const timetable = p.findings.find((f) => f.code === 'reconcile.not_deliverable' && f.entity === 'timetable');
    expect(timetable?.message).toMatch(/Расписание уроков: \d+/);
    const topics = p.findings.find((f) => f.code === 'reconcile.field_not_deliverable' && f.entity === 'lessons');
    expect(topics?.message).toContain(`Тема урока — ${topics0 + 1}`);
    expect(topics?.message).not.toContain('Дроби');
  });
});
