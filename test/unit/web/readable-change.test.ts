import { ChangeContextBuilder, schoolRoster } from '../../../src/reconcile/change-context';
import { auditRowHash, canonicalJson } from '../../../src/store/repositories/audit-chain';
import type { StagedChange } from '../../../src/store';
import { PeopleView } from '../../../src/web/people/people-directory';
import { personalDataView } from '../../../src/web/privacy/personal-data';
import { fixAdvice, readerHint } from '../../../src/web/views/fix-advice';
import { auditDetails, auditObjectText } from '../../../src/web/views/audit-details';
import { fieldsLine, readableChange } from '../../../src/web/views/readable-change';
import { allCodes, catalogueEntry, emptySnapshot } from '../../../src/model';

const admin = { oid: '1', displayName: 'Админов', roles: ['school_admin' as const], schoolIds: ['s1'] };
const operator = { oid: '2', displayName: 'Оператор', roles: ['operator' as const], schoolIds: [] };

/** A tiny school: class 5А, one pupil, maths, a lesson and a work; the platform has the same under its own ids. */
function school() {
  const source = emptySnapshot({ sourceId: 's1', name: 'МБОУ СОШ № 1', shortName: 'СОШ № 1', timeZone: 'Asia/Yekaterinburg' } as never);
  source.classes.push({ sourceId: 'c5a', name: '5А', grade: 5, letter: 'А', academicYearId: 'y' } as never);
  source.subjects.push({ sourceId: 'math', name: 'Математика' } as never);
  source.pupils.push({ sourceId: 'p1', lastName: 'Иванов', firstName: 'Пётр', middleName: 'Сергеевич', birthDate: '2015-02-01', snils: '11223344595' } as never);
  source.memberships.push({ sourceId: 'm1', pupilId: 'p1', groupId: 'c5a', groupKind: 'class', startDate: '2026-09-01' } as never);
  source.lessons.push({ sourceId: 'l1', groupId: 'c5a', groupKind: 'class', subjectId: 'math', teacherId: 't1', date: '2026-11-09', lessonNumber: 2 } as never);
  source.works.push({ sourceId: 'w1', groupId: 'c5a', subjectId: 'math', date: '2026-11-09', lessonId: 'l1', workType: 'control', title: 'Дроби' } as never);
  const target = emptySnapshot({ sourceId: '99', name: 'МБОУ СОШ № 1', timeZone: 'Asia/Yekaterinburg' } as never);
  target.classes.push({ sourceId: '900', name: '5А', grade: 5, letter: 'А', academicYearId: 'y' } as never);
  target.subjects.push({ sourceId: '901', name: 'Математика' } as never);
  target.pupils.push({ sourceId: '902', lastName: 'Иванов', firstName: 'Пётр', middleName: 'Сергеевич' } as never);
  target.lessons.push({ sourceId: '903', groupId: '900', groupKind: 'class', subjectId: '901', teacherId: '9', date: '2026-11-09', lessonNumber: 2 } as never);
  target.works.push({ sourceId: '904', groupId: '900', subjectId: '901', date: '2026-11-09', lessonId: '903', workType: 'control', title: 'Дроби' } as never);
  const matches = [{ entity: 'pupils' as const, sourceId: 'p1', targetId: '902', method: 'id_map' as const }];
  return { source, target, matches, roster: schoolRoster(source, target, matches), builder: new ChangeContextBuilder(source, target, matches) };
}

const staged = (o: Partial<StagedChange>): StagedChange => ({ runId: 'r', changeId: 'c', seq: 0, phase: 0, entity: 'marks', op: 'create', sourceId: 'x', targetId: null, before: null, after: null, changedFields: null, status: 'pending', attempts: 0, lastErrorCode: null, delivered: null, context: null, ...o });

describe('a change in school terms', () => {
  it('a mark archived on the platform: the pupil by name and class (МИС id found through the match), subject, date, lesson, work, «value»', () => {
    const { builder, roster } = school();
    const before = { sourceId: '905', pupilId: '902', subjectId: '901', groupId: '900', kind: 'current', value: '5', date: '2026-11-09', workId: '904' };
    const context = builder.of({ entity: 'marks', op: 'archive', sourceId: 'mk1', targetId: '905', before });
    expect(context).toMatchObject({ pupilId: 'p1', group: '5А', subject: 'Математика', date: '2026-11-09', work: 'контрольная работа «Дроби»' });
    // Kept in the store: no name in it.
    expect(JSON.stringify(context)).not.toContain('Иванов');
    const r = readableChange(staged({ op: 'archive', before, context }), new PeopleView(roster, true), personalDataView(admin, 's1'));
    expect(r).toMatchObject({ who: 'Иванов Пётр Сергеевич, 5А', pupilId: 'p1', what: 'Математика · 09.11.2026 · контрольная работа «Дроби»' });
    expect(fieldsLine(r.fields)).toBe('Вид отметки: текущая; Отметка: «5»');
    // The operator reads no name.
    const forOperator = readableChange(staged({ op: 'archive', before, context }), new PeopleView(roster, false), personalDataView(operator, 's1'));
    expect(forOperator.who).toBe('обучающийся 5А (ФИО скрыто)');
  });

  it('an absence reads «Н» with its meaning; an update reads before → after', () => {
    const { builder, roster } = school();
    const after = { sourceId: 'a1', pupilId: 'p1', lessonId: 'l1', status: 'absent' };
    const r = readableChange(staged({ entity: 'attendance', after, context: builder.of({ entity: 'attendance', op: 'create', sourceId: 'a1', after }) }), new PeopleView(roster, true), personalDataView(admin, 's1'));
    expect(r.what).toBe('Математика · 09.11.2026 · 2-й урок');
    expect(fieldsLine(r.fields)).toBe('Посещаемость: Н (отсутствовал без уважительной причины)');
    const upd = { entity: 'marks' as const, op: 'update' as const, sourceId: 'mk1', before: { sourceId: '905', pupilId: '902', value: '4', kind: 'current', date: '2026-11-09', subjectId: '901', groupId: '900' }, after: { sourceId: 'mk1', pupilId: 'p1', value: '5', kind: 'current', date: '2026-11-09', subjectId: 'math', groupId: 'c5a' }, changedFields: ['value'] };
    expect(fieldsLine(readableChange(staged({ ...upd, context: builder.of(upd) }), new PeopleView(roster, true), personalDataView(admin, 's1')).fields)).toBe('Отметка: «4» → «5»');
  });

  it('a pupil’s own fields come from the record, СНИЛС always masked, names hidden from others', () => {
    const { builder, roster, source } = school();
    const pupil = source.pupils[0] as unknown as Record<string, unknown>;
    const change = { entity: 'pupils' as const, op: 'create' as const, sourceId: 'p1', after: pupil };
    const context = builder.of(change);
    expect(JSON.stringify(context)).not.toMatch(/Иванов|11223344595/);
    const line = fieldsLine(readableChange(staged({ ...change, context }), new PeopleView(roster, true), personalDataView(admin, 's1')).fields);
    expect(line).toContain('Фамилия: Иванов');
    expect(line).toContain('Дата рождения: 01.02.2015');
    expect(line).toContain('СНИЛС: ***-***-*** 95');
    const hidden = fieldsLine(readableChange(staged({ ...change, context }), new PeopleView(roster, false), personalDataView(operator, 's1')).fields);
    expect(hidden).not.toContain('Иванов');
    expect(hidden).toContain('Фамилия: скрыто');
  });

  it('a change staged before contexts were kept is still labelled in Russian', () => {
    const r = readableChange(staged({ after: { sourceId: 'm0', value: '5', pupilId: 'p1', kind: 'current' } }), new PeopleView(null, true), personalDataView(admin, 's1'));
    expect(fieldsLine(r.fields)).toBe('Отметка: «5»; Вид отметки: текущая');
    expect(r.who).toBe('обучающийся (код p1)');
  });

  it('the roster counts current marks by month, class and subject, and final marks, on both sides', () => {
    const { source, target, matches } = school();
    source.marks.push({ sourceId: 'mk1', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '5', date: '2026-11-09', workId: 'w1' } as never, { sourceId: 'mk2', pupilId: 'p1', subjectId: 'math', groupId: 'c5a', kind: 'quarter', value: '5', date: '2026-10-30', periodId: 'q1' } as never);
    target.marks.push({ sourceId: '905', pupilId: '902', subjectId: '901', groupId: '900', kind: 'current', value: '5', date: '2026-11-09', workId: '904' } as never);
    const counts = schoolRoster(source, target, matches).counts!;
    expect(counts.marksByMonth['2026-11']['5А']['Математика']).toEqual({ mis: 1, journal: 1 });
    expect(counts.pupilMarksByMonth['2026-11'].p1).toEqual({ mis: 1, journal: 1 });
    expect(counts.finalMarks['5А']['Математика'].quarter).toEqual({ mis: 1, journal: 0 });
    expect(counts.journalFrom).toBe('2026-11-09');
  });
});

describe('a pupil’s classes and groups in the МИС next to the platform’s', () => {
  it('enrolled on both sides; in a group only the МИС has; left the МИС class but still listed on the platform; only on the platform; unknown when not matched', () => {
    const { source, target, matches } = school();
    source.subgroups.push({ sourceId: 'g1', classId: 'c5a', name: 'Английский язык (1 группа)' } as never);
    source.classes.push({ sourceId: 'c4a', name: '4А', grade: 4, letter: 'А', academicYearId: 'y' } as never);
    source.memberships.push(
      { sourceId: 'm2', pupilId: 'p1', groupId: 'g1', groupKind: 'subgroup', startDate: '2026-09-01' } as never,
      { sourceId: 'm3', pupilId: 'p1', groupId: 'c4a', groupKind: 'class', startDate: '2025-09-01', endDate: '2026-05-31', orderNumber: '12-у' } as never,
    );
    target.classes.push({ sourceId: '910', name: '4 А', grade: 4, letter: 'А', academicYearId: 'y' } as never, { sourceId: '911', name: '5Б', grade: 5, letter: 'Б', academicYearId: 'y' } as never);
    target.memberships.push(
      { sourceId: 'tm1', pupilId: '902', groupId: '900', groupKind: 'class', startDate: '2026-09-01' } as never,
      { sourceId: 'tm2', pupilId: '902', groupId: '910', groupKind: 'class', startDate: '2025-09-01' } as never,
      { sourceId: 'tm3', pupilId: '902', groupId: '911', groupKind: 'class', startDate: '2026-09-01', ended: true } as never,
    );
    const memberships = schoolRoster(source, target, matches).pupils.p1.memberships!;
    const by = Object.fromEntries(memberships.map((m) => [m.group, m]));
    expect(by['5А']).toEqual({ group: '5А', kind: 'class', mis: { from: '2026-09-01' }, platform: true });
    expect(by['4А']).toEqual({ group: '4А', kind: 'class', mis: { from: '2025-09-01', to: '2026-05-31', order: '12-у' }, platform: true });
    expect(by['5А, Английский язык (1 группа)']).toMatchObject({ kind: 'subgroup', platform: false });
    // An ended platform membership is not «on the platform»; nothing else only there.
    expect(memberships.map((m) => m.group)).toEqual(['5А', '4А', '5А, Английский язык (1 группа)']);
    target.memberships.push({ sourceId: 'tm4', pupilId: '902', groupId: '911', groupKind: 'class', startDate: '2026-10-01' } as never);
    expect(schoolRoster(source, target, matches).pupils.p1.memberships!.find((m) => m.group === '5Б')).toEqual({ group: '5Б', kind: 'class', mis: null, platform: true });
    // Not matched on the platform (or the platform not read): unknown, not «no».
    expect(schoolRoster(source, target, []).pupils.p1.memberships!.every((m) => m.platform === null)).toBe(true);
    expect(schoolRoster(source, undefined, matches).pupils.p1.memberships!.every((m) => m.platform === null)).toBe(true);
  });
});

describe('who fixes a failure, in words for the reader', () => {
  it('a school administrator is never sent to a config file or a command; the operator reads the catalogue’s hint', () => {
    for (const code of ['dnevnik.parameter_invalid', 'dnevnik.rate_limited', 'dnevnik.value_unmapped', 'dnevnik.https_required', 'dnevnik.reconnect_needed', 'unknown.code']) {
      const school = fixAdvice(admin, code);
      expect([code, /config\/|ejsync [a-z]|EJSYNC_|\.json/.test(school.hint)]).toEqual([code, false]);
    }
    expect(fixAdvice(admin, 'dnevnik.parameter_invalid')).toMatchObject({ fixer: 'school', fixerLabel: 'администратор ЭЖ школы — в Дневник.ру' });
    expect(fixAdvice(operator, 'dnevnik.parameter_invalid').hint).toContain('config/platforms/dnevnik.json');
  });

  it('no hint of the catalogue reaches a school’s staff with a file, a command or a variable in it — failures, held reasons, findings, refusals alike', () => {
    const developerWords = /config\/|docs\/|\.json\b|ejsync [a-z]|EJSYNC_|`|--[a-z]|mapping\.|capabilities|\b[a-z]+[A-Z][A-Za-z]*\b/;
    const viewer = { ...admin, roles: ['viewer' as const] };
    const leaks: string[] = [];
    for (const code of allCodes()) {
      const own = catalogueEntry(code).hint;
      for (const [who, p] of [['admin', admin], ['viewer', viewer]] as const) {
        for (const [where, hint] of [['failure', fixAdvice(p, code).hint], ['reason', readerHint(p, code, own)]] as const) if (developerWords.test(hint)) leaks.push(`${who} ${where} ${code}: ${hint}`);
      }
      // The operator runs ejsync: the catalogue's own words, files and commands included.
      expect(readerHint(operator, code, own)).toBe(own);
    }
    expect(leaks).toEqual([]);
    // A guard's reason and a refusal read as what the school can do.
    expect(readerHint(admin, 'guard.source_errors', catalogueEntry('guard.source_errors').hint)).toMatch(/одобрите запуск/);
    expect(readerHint(admin, 'run.rollover_needs_approval', catalogueEntry('run.rollover_needs_approval').hint)).toContain('«Одобрить»');
    // A finding's own hint in plain words is kept; one naming a file becomes «tell the operator».
    expect(readerHint(admin, 'input.invalid_value', 'Исправьте дату рождения в МИС.')).toBe('Исправьте дату рождения в МИС.');
    expect(readerHint(admin, 'config.invalid', 'Поправьте config/links/a.json')).toBe('Это исправляет региональный оператор ejsync: сообщите ему код config.invalid и номер запуска.');
    // What the school can do stays; the clause about a file of the documentation goes.
    expect(readerHint(admin, 'mis.invalid_value', catalogueEntry('mis.invalid_value').hint)).toBe(
      'Исправьте значение в МИС и повторите выгрузку. Если не получается — сообщите региональному оператору ejsync код mis.invalid_value и номер запуска.',
    );
    // СЭДиЖ failures say who fixes them too.
    expect(fixAdvice(admin, 'sedizh.record_rejected')).toMatchObject({ fixer: 'mis' });
  });
});

describe('the audit in words; its chain does not depend on jsonb key order', () => {
  it('details read in Russian with states named', () => {
    expect(auditDetails({ reason: 'приказ', before: { status: 'held' }, after: { status: 'approved' } })).toBe('причина: приказ; было: состояние задержан (ждёт решения); стало: состояние одобрен');
    // Every key the store writes reads in Russian: no camelCase left.
    expect(auditDetails({ deletedRuns: 2, redactedWorklist: 3, personalDataDays: 400, planJob: true, before: { closed: true }, after: { closed: false }, orderNumber: '12-у' })).not.toMatch(/[a-z][A-Z]/);
  });

  it('what a row is about reads in Russian', () => {
    expect(auditObjectText('role_assignment', '1000200003')).toBe('роль, ЕСИА oid 1000200003');
    expect(auditObjectText('period', 'link-1/q1')).toBe('период link-1/q1');
    expect(auditObjectText('session', null)).toBe('вход в ejsync');
    expect(auditObjectText('failures', null)).toBe('недоставленные записи');
  });

  it('the same row with its details’ keys in another order hashes the same; another value does not', () => {
    const row = { at: new Date('2026-11-21T05:00:00.123Z'), actorOid: '1', actorName: 'А', action: 'run.approved', objectType: 'run', objectId: 'r', schoolId: 's', details: { b: 1, a: { y: [1, 2], x: 'z' } } };
    expect(canonicalJson({ b: 1, a: 2 })).toBe('{"a":2,"b":1}');
    expect(auditRowHash('0', row)).toBe(auditRowHash('0', { ...row, details: { a: { x: 'z', y: [1, 2] }, b: 1 } }));
    expect(auditRowHash('0', row)).not.toBe(auditRowHash('0', { ...row, details: { ...row.details, b: 2 } }));
    expect(auditRowHash('0', row)).not.toBe(auditRowHash('1', row));
  });
});
