import { emptySnapshot, ENTITY_ORDER, type CapabilityMatrix } from '../../../src/model';
import { EMPTY_ID_MAP, idMapFromEntries, plan, type IdMapEntry } from '../../../src/reconcile';
import { clone, dnevnikLikeCapabilities, fullCapabilities, mirror, smallSchool } from './helpers/fixtures';

const full = { capabilities: fullCapabilities() };

function linked() {
  const source = smallSchool();
  const { target, entries } = mirror(source);
  return { source, target, entries, idMap: idMapFromEntries(entries) };
}

describe('plan', () => {
  it('plans nothing when both sides hold the same data', () => {
    const { source, target, idMap } = linked();
    const p = plan(source, target, idMap, full);
    expect(p.changes).toEqual([]);
    expect(p.manualActions).toEqual([]);
    expect(p.findings).toEqual([]);
    expect(p.matches).toEqual([]);
    expect(p.counts.marks).toMatchObject({ unchanged: 4, matched: 4, create: 0, update: 0, archive: 0 });
  });

  it('plans nothing either when the platform only matches by natural keys, and returns those links to persist', () => {
    const { source, target } = linked();
    const p = plan(source, target, EMPTY_ID_MAP, full);
    expect(p.changes).toEqual([]);
    expect(p.matches.find((m) => m.entity === 'pupils' && m.sourceId === 'p1')).toMatchObject({ targetId: 'T-p1', method: 'snils' });
    expect(p.matches).toHaveLength(ENTITY_ORDER.reduce((n, e) => n + source[e].length, 0));
  });

  it('creates everything in dependency order for an empty platform, with deterministic ids and no ":"', () => {
    const source = smallSchool();
    source.pupils[0].sourceId = 'p:1/й';
    source.memberships[0].pupilId = 'p:1/й';
    source.memberships[3].pupilId = 'p:1/й';
    source.marks.filter((m) => m.pupilId === 'p1').forEach((m) => (m.pupilId = 'p:1/й'));
    source.attendance.filter((m) => m.pupilId === 'p1').forEach((m) => (m.pupilId = 'p:1/й'));
    source.guardianLinks[0].pupilId = 'p:1/й';
    const p = plan(source, emptySnapshot(source.school), EMPTY_ID_MAP, full);
    expect(p.findings).toEqual([]);
    expect(p.changes.every((c) => c.op === 'create')).toBe(true);
    expect(p.changes).toHaveLength(ENTITY_ORDER.reduce((n, e) => n + source[e].length, 0));
    const phases = p.changes.map((c) => c.phase);
    expect(phases).toEqual([...phases].sort((a, b) => a - b));
    expect(p.changes[0]).toMatchObject({ entity: 'academicYears', phase: 0, id: 'academicYears.create.y26' });
    const pupil = p.changes.find((c) => c.entity === 'pupils' && c.sourceId === 'p:1/й')!;
    expect(pupil.id).toMatch(/^pupils\.create\.[A-Za-z0-9_.~-]+$/);
    expect(pupil.id).not.toContain(':');
    expect(pupil.after).toBe(source.pupils[0]);
    expect(plan(source, emptySnapshot(source.school), EMPTY_ID_MAP, full).changes.map((c) => c.id)).toEqual(p.changes.map((c) => c.id));
    const mark = p.changes.find((c) => c.entity === 'marks' && c.sourceId === 'mk3')!;
    expect(mark).toMatchObject({ date: '2026-11-10', grade: 5, phase: ENTITY_ORDER.indexOf('marks') });
    const absence = p.changes.find((c) => c.entity === 'attendance' && c.sourceId === 'a1')!;
    expect(absence).toMatchObject({ date: '2026-11-10', grade: 5 });
  });

  it('keeps very long ids within 200 characters and distinct', () => {
    const source = emptySnapshot(smallSchool().school);
    const long = 'x'.repeat(190);
    source.subjects.push({ sourceId: `${long}a`, name: 'А' }, { sourceId: `${long}b`, name: 'Б' });
    const ids = plan(source, emptySnapshot(source.school), EMPTY_ID_MAP, full).changes.map((c) => c.id);
    expect(ids.every((id) => id.length <= 200)).toBe(true);
    expect(new Set(ids).size).toBe(2);
  });

  it('updates what differs, with before, after and the changed fields, comparing references in platform ids', () => {
    const { source, target, idMap } = linked();
    source.pupils.find((p) => p.sourceId === 'p2')!.lastName = 'Петрова-Смирнова';
    source.marks.find((m) => m.sourceId === 'mk3')!.value = '4';
    source.lessons.find((l) => l.sourceId === 'l2')!.teacherId = 'st2';
    const p = plan(source, target, idMap, full);
    expect(p.changes.map((c) => [c.entity, c.op, c.sourceId, c.changedFields])).toEqual([
      ['pupils', 'update', 'p2', ['lastName']],
      ['lessons', 'update', 'l2', ['teacherId']],
      ['marks', 'update', 'mk3', ['value']],
    ]);
    const mark = p.changes[2];
    expect(mark.targetId).toBe('T-mk3');
    expect(mark.before).toMatchObject({ sourceId: 'T-mk3', value: '3', pupilId: 'T-p1' });
    expect(mark.after).toMatchObject({ sourceId: 'mk3', value: '4', pupilId: 'p1' });
    expect(mark.id).toBe('marks.update.mk3');
    expect(p.counts.marks).toMatchObject({ update: 1, unchanged: 3 });
  });

  it('normalises before comparing: spaces, mark spelling, СНИЛС format, empty values', () => {
    const { source, target, idMap } = linked();
    target.pupils.find((p) => p.sourceId === 'T-p2')!.firstName = ' Анна ';
    const s = target.pupils.find((p) => p.sourceId === 'T-p1')!.snils!;
    target.pupils.find((p) => p.sourceId === 'T-p1')!.snils = `${s.slice(0, 3)}-${s.slice(3, 6)}-${s.slice(6, 9)} ${s.slice(9)}`;
    target.marks.find((m) => m.sourceId === 'T-mk1')!.value = '5';
    source.marks.find((m) => m.sourceId === 'mk1')!.value = '5';
    source.marks.find((m) => m.sourceId === 'mk2')!.value = '4−';
    target.marks.find((m) => m.sourceId === 'T-mk2')!.value = '4-';
    source.marks.find((m) => m.sourceId === 'mk2')!.value = '4-';
    target.lessons.find((l) => l.sourceId === 'T-l3')!.topic = '';
    expect(plan(source, target, idMap, full).changes).toEqual([]);
  });

  it('compares only the fields the platform can hold', () => {
    const { source, target, idMap } = linked();
    source.pupils.find((p) => p.sourceId === 'p2')!.phone = '+7 912 000-00-00';
    source.pupils.find((p) => p.sourceId === 'p3')!.lastName = 'Сидоренко';
    const p = plan(source, target, idMap, { ...full, comparableFields: { pupils: ['lastName', 'firstName', 'middleName', 'birthDate'] } });
    expect(p.changes.map((c) => c.sourceId)).toEqual(['p3']);
  });

  it('comparison rules: a field the platform fills is compared only when the source has it; a fallback stands in for an empty field', () => {
    const { source, target, idMap } = linked();
    const comparableFields = { works: ['groupId', 'subjectId', 'lessonId', 'date', 'workType', 'title'] };
    const comparison = { platformFills: { works: ['lessonId'] }, fallbacks: { works: { title: 'description' } } };
    // A source without lessons (OneRoster line items): the platform placed the work on the day's lesson.
    delete source.works.find((w) => w.sourceId === 'w1')!.lessonId;
    // A work whose text the source keeps as a description: the platform shows it as the title.
    const w2 = source.works.find((w) => w.sourceId === 'w2')!;
    w2.description = 'Устный счёт';
    target.works.find((w) => w.sourceId === 'T-w2')!.title = 'Устный счёт';
    expect(plan(source, target, idMap, { ...full, comparableFields, comparison }).changes).toEqual([]);
    // Without the rules both works would be rewritten on every run.
    expect(plan(source, target, idMap, { ...full, comparableFields }).changes.map((c) => [c.sourceId, c.changedFields])).toEqual([
      ['w1', ['lessonId']],
      ['w2', ['title']],
    ]);
    // A real difference still shows: another lesson, another description.
    source.works.find((w) => w.sourceId === 'w1')!.lessonId = 'l2';
    w2.description = 'Письменный счёт';
    expect(plan(source, target, idMap, { ...full, comparableFields, comparison }).changes.map((c) => [c.sourceId, c.changedFields])).toEqual([
      ['w1', ['lessonId']],
      ['w2', ['title']],
    ]);
  });

  it('an update that points to a record created in the same run is planned and differs', () => {
    const { source, target, idMap } = linked();
    source.staff.push({ sourceId: 'st3', lastName: 'Новикова', firstName: 'Елена', birthDate: '1990-01-01' });
    source.lessons.find((l) => l.sourceId === 'l1')!.substituteTeacherId = 'st3';
    const p = plan(source, target, idMap, full);
    expect(p.changes.map((c) => [c.entity, c.op, c.sourceId])).toEqual([
      ['staff', 'create', 'st3'],
      ['lessons', 'update', 'l1'],
    ]);
    expect(p.changes[1].changedFields).toEqual(['substituteTeacherId']);
  });

  it('archives a platform record whose source record is gone: a mark removed in the МИС', () => {
    const { source, target, idMap } = linked();
    source.marks = source.marks.filter((m) => m.sourceId !== 'mk3');
    const p = plan(source, target, idMap, full);
    expect(p.changes).toHaveLength(1);
    expect(p.changes[0]).toMatchObject({
      id: 'marks.archive.mk3',
      entity: 'marks',
      op: 'archive',
      sourceId: 'mk3',
      targetId: 'T-mk3',
      before: { value: '3' },
      date: '2026-11-10',
    });
    expect(p.changes[0].after).toBeUndefined();
    expect(p.changes[0].phase).toBeGreaterThanOrEqual(ENTITY_ORDER.length);
  });

  it('a pupil who left: pupil and memberships archived (dependants first), the marks kept as history', () => {
    const { source, target, idMap } = linked();
    const gone = (r: { pupilId?: string; sourceId: string }) => r.pupilId !== 'p2' && r.sourceId !== 'p2';
    source.pupils = source.pupils.filter(gone);
    source.memberships = source.memberships.filter(gone);
    source.marks = source.marks.filter(gone);
    source.attendance = source.attendance.filter(gone);
    const p = plan(source, target, idMap, full);
    expect(p.changes.map((c) => `${c.entity}.${c.op}.${c.sourceId}`)).toEqual(['memberships.archive.m2', 'pupils.archive.p2']);
    expect(p.changes[0].phase).toBeLessThan(p.changes[1].phase);
    expect(p.counts.marks).toMatchObject({ archive: 0, unchanged: 4 });
  });

  it('never deletes records present only on the platform: counts and reports them', () => {
    const { source, target, idMap } = linked();
    target.marks.push({ ...target.marks[0], sourceId: 'T-manual-mark', value: '2', workId: 'T-w2' });
    target.subjects.push({ sourceId: 'T-art', name: 'ИЗО' });
    const p = plan(source, target, idMap, full);
    expect(p.changes).toEqual([]);
    expect(p.unmatchedTarget).toMatchObject({ marks: 1, subjects: 1, pupils: 0 });
    const f = p.findings.filter((x) => x.code === 'reconcile.unmatched_target');
    expect(f.map((x) => x.entity).sort()).toEqual(['marks', 'subjects']);
    expect(p.counts.subjects.findings).toBe(1);
  });

  it('turns what the platform cannot do into manual actions with the exact data in Russian', () => {
    const { source, target, idMap } = linked();
    source.pupils.push({ sourceId: 'p4', lastName: 'Орлова', firstName: 'Дарья', middleName: 'Сергеевна', birthDate: '2015-04-07', sex: 'female' });
    source.memberships.push({ sourceId: 'm5', pupilId: 'p4', groupId: 'c5a', groupKind: 'class', startDate: '2026-11-02', reason: 'transferred', orderNumber: '45-у', orderDate: '2026-10-30' });
    source.marks.push({ sourceId: 'mk5', pupilId: 'p4', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '5', date: '2026-11-10', workId: 'w2' });
    source.classes.find((c) => c.sourceId === 'c6b')!.homeroomTeacherId = 'st2';
    source.memberships.find((m) => m.sourceId === 'm3')!.endDate = '2026-12-01';
    const p = plan(source, target, idMap, { capabilities: dnevnikLikeCapabilities() });
    expect(p.changes).toEqual([]);

    const pupil = p.manualActions.find((a) => a.entity === 'pupils')!;
    expect(pupil).toMatchObject({ op: 'create', sourceId: 'p4', title: 'Создать ученика в классе 5А', id: 'manual.pupils.create.p4' });
    expect(pupil.fields).toEqual(
      expect.arrayContaining([
        { label: 'Фамилия', value: 'Орлова' },
        { label: 'Имя', value: 'Дарья' },
        { label: 'Отчество', value: 'Сергеевна' },
        { label: 'Дата рождения', value: '07.04.2015' },
        { label: 'Пол', value: 'женский' },
      ]),
    );
    expect(pupil.reason).toContain('Обучающиеся');

    const enrol = p.manualActions.find((a) => a.entity === 'memberships' && a.op === 'create')!;
    expect(enrol.title).toBe('Зачислить ученика в класс 5А');
    expect(enrol.fields).toEqual(
      expect.arrayContaining([
        { label: 'Обучающийся', value: 'Орлова Дарья Сергеевна, 07.04.2015' },
        { label: 'Класс или группа', value: '5А' },
        { label: 'Основание', value: 'перевод' },
        { label: 'Номер приказа', value: '45-у' },
        { label: 'Дата приказа', value: '30.10.2026' },
      ]),
    );

    const left = p.manualActions.find((a) => a.entity === 'memberships' && a.op === 'update')!;
    expect(left.title).toBe('Отметить выбытие ученика из класса 6Б');
    expect(left.fields).toContainEqual({ label: 'Дата выбытия', value: '01.12.2026', previous: '(пусто)' });

    const homeroom = p.manualActions.find((a) => a.entity === 'classes')!;
    expect(homeroom.title).toBe('Изменить данные класса 6Б');
    expect(homeroom.fields).toContainEqual({ label: 'Классный руководитель', value: 'Кузнецов Павел, 12.11.1975', previous: '(пусто)' });

    // The mark waits for the pupil a human has to create: reported, not sent.
    expect(p.changes.find((c) => c.sourceId === 'mk5')).toBeUndefined();
    const waiting = p.findings.find((f) => f.sourceId === 'mk5')!;
    expect(waiting).toMatchObject({ code: 'reconcile.missing_dependency', severity: 'warning', field: 'pupilId', entity: 'marks' });
    expect(waiting.message).not.toContain('Орлова');
    expect(p.counts.pupils.manual).toBe(1);
    expect(p.findings.filter((f) => f.code === 'manual.action_required').map((f) => f.entity).sort()).toEqual(['classes', 'memberships', 'pupils']);
  });

  it('a manual archive on a platform that cannot delete', () => {
    const { source, target, idMap } = linked();
    source.subjects = source.subjects.filter((s) => s.sourceId !== 'eng');
    source.subgroups = [];
    source.memberships = source.memberships.filter((m) => m.groupKind === 'class');
    source.lessons = source.lessons.filter((l) => l.sourceId !== 'l3');
    const caps: CapabilityMatrix = { ...fullCapabilities(), subjects: { read: true, create: false, update: false, archive: false } };
    const p = plan(source, target, idMap, { capabilities: caps });
    const a = p.manualActions.find((x) => x.entity === 'subjects')!;
    expect(a).toMatchObject({ op: 'archive', sourceId: 'eng', targetId: 'T-eng', title: 'Перевести в архив предмет «Английский язык»' });
    expect(a.fields[0]).toEqual({ label: 'Запись на платформе', value: 'Английский язык' });
    expect(p.changes.map((c) => `${c.entity}.${c.op}`)).toEqual(['lessons.archive', 'memberships.archive', 'subgroups.archive']);
  });

  it('a mark for a pupil who is nowhere gets a missing dependency finding and no change', () => {
    const { source, target, idMap } = linked();
    source.marks.push({ sourceId: 'mk9', pupilId: 'ghost', subjectId: 'math', groupId: 'c5a', kind: 'current', value: '2', date: '2026-11-10', workId: 'w2' });
    const p = plan(source, target, idMap, full);
    expect(p.changes).toEqual([]);
    expect(p.findings).toEqual([
      expect.objectContaining({ code: 'reconcile.missing_dependency', severity: 'error', entity: 'marks', sourceId: 'mk9', field: 'pupilId' }),
    ]);
    expect(p.counts.marks.findings).toBe(1);
  });

  it('an ambiguous pupil is neither created nor linked, and its marks wait', () => {
    const { source, target } = linked();
    target.pupils.push({ ...target.pupils.find((p) => p.sourceId === 'T-p2')!, sourceId: 'T-p2-twin' });
    const p = plan(source, target, EMPTY_ID_MAP, full);
    expect(p.changes.filter((c) => c.entity === 'pupils')).toEqual([]);
    expect(p.findings.filter((f) => f.code === 'reconcile.ambiguous_match').map((f) => f.sourceId)).toEqual(['p2']);
    const blocked = p.findings.filter((f) => f.code === 'reconcile.missing_dependency').map((f) => f.sourceId).sort();
    expect(blocked).toEqual(['a1', 'm2', 'mk2', 'mk4']);
  });

  it('skips collections the platform cannot read', () => {
    const source = smallSchool();
    const caps = fullCapabilities();
    caps.bellSchedule = { read: false, create: true, update: true, archive: true };
    const p = plan(source, emptySnapshot(source.school), EMPTY_ID_MAP, { capabilities: caps });
    expect(p.changes.some((c) => c.entity === 'bellSchedule')).toBe(false);
    expect(p.changes.some((c) => c.entity === 'pupils')).toBe(true);
  });

  it('does not mutate its inputs', () => {
    const { source, target, idMap } = linked();
    source.marks[0].value = '2';
    const [s0, t0] = [clone(source), clone(target)];
    plan(source, target, idMap, full);
    expect(source).toEqual(s0);
    expect(target).toEqual(t0);
  });
});
