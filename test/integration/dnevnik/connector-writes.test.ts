import { DnevnikClient, DnevnikConnector, DnevnikTokenVault, LOST_ANSWER_CHECK, type DnevnikConnectorOptions, type MarkEndpoints } from '../../../src/connectors/dnevnik';
import { isEjsyncError, type Attendance, type EntityCollection, type Lesson, type Mark, type ResolvedChange, type Work } from '../../../src/model';
import { differingFields } from '../../../src/reconcile';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isEjsyncError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a failure');
}

let seq = 0;
const change = <K extends EntityCollection>(entity: K, op: ResolvedChange['op'], record: object, more: Partial<ResolvedChange> = {}): ResolvedChange => {
  const sourceId = `src-${++seq}`;
  return { id: `${entity}.${op}.${sourceId}`, entity, op, sourceId, ...(op === 'archive' ? { before: record } : { after: record }), ...more } as ResolvedChange;
};

/** Platform records of the onboarded school to write against: the n-th class lesson and a pupil of that class. */
function place(stand: Stand, n: number) {
  const lessons = stand.platform.lessons.filter((l) => l.groupKind === 'class' && stand.platform.classes.find((c) => c.sourceId === l.groupId)!.grade > 1);
  const lesson = lessons[n];
  const pupilId = stand.platform.memberships.find((m) => m.groupId === lesson.groupId)!.pupilId;
  const work: Work = { sourceId: `w-${n}`, groupId: lesson.groupId, subjectId: lesson.subjectId, lessonId: lesson.sourceId, date: lesson.date, workType: 'control', title: `Контрольная работа № ${n}` };
  const mark = (workId: string, value = '5'): Mark => ({ sourceId: `m-${n}`, pupilId, subjectId: lesson.subjectId, groupId: lesson.groupId, kind: 'current', value, date: lesson.date, workId, lessonId: lesson.sourceId });
  const absence: Attendance = { sourceId: `a-${n}`, pupilId, lessonId: lesson.sourceId, status: 'absent' };
  return { lesson, pupilId, work, mark, absence };
}

/** A second connector to the same emulator with some options changed. */
function connectorWith(stand: Stand, over: Partial<DnevnikConnectorOptions>): DnevnikConnector {
  return new DnevnikConnector({
    client: stand.client,
    baseUrl: stand.emulator.apiBase,
    schoolId: stand.platform.school.sourceId,
    timeZone: stand.source.school.timeZone,
    capabilities: stand.config.capabilities,
    comparableFields: stand.config.comparableFields,
    maps: stand.maps,
    markEndpoints: stand.markEndpoints,
    ...over,
  });
}

describe('DnevnikConnector against the emulator: codes, lookups, repeated writes', () => {
  let stand: Stand;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 30, seed: 'writes' });
  });
  afterAll(() => stand?.emulator.close());
  afterEach(() => stand.emulator.setFaults({}));

  it('a work without a lesson goes on that day’s lesson of its group and subject; findExisting finds it', async () => {
    const { lesson, work } = place(stand, 0);
    const { lessonId: _, ...loose } = work;
    const firstOfDay = stand.platform.lessons.filter((l) => l.groupId === lesson.groupId && l.subjectId === lesson.subjectId && l.date === lesson.date).sort((a, b) => a.lessonNumber - b.lessonNumber)[0];
    const made = await stand.connector.apply(change('works', 'create', loose));
    expect(stand.emulator.state.works.get(made.targetId)?.lessonId).toBe(firstOfDay.sourceId);
    expect(await stand.connector.findExisting(change('works', 'create', loose))).toBe(made.targetId);
  });

  it('dnevnik.lesson_missing: a work on a day without such a lesson, a mark without a work', async () => {
    const { work, mark } = place(stand, 1);
    const { lessonId: _, ...loose } = work;
    expect(await codeOf(stand.connector.apply(change('works', 'create', { ...loose, date: '2026-11-15' })))).toBe('dnevnik.lesson_missing');
    expect(await stand.connector.findExisting(change('works', 'create', { ...loose, date: '2026-11-15' }))).toBeNull();
    const { workId: __, ...markOnNothing } = mark('x');
    expect(await codeOf(stand.connector.apply(change('marks', 'create', markOnNothing)))).toBe('dnevnik.lesson_missing');
    expect(stand.emulator.state.writes.filter((w) => w.op === 'create' && w.entity === 'marks')).toHaveLength(0);
  });

  it('dnevnik.value_unmapped: a mark value, a work type and an attendance status the platform cannot take', async () => {
    const { work, mark, absence } = place(stand, 2);
    const made = await stand.connector.apply(change('works', 'create', work));
    expect(await codeOf(stand.connector.apply(change('marks', 'create', mark(made.targetId, 'отл'))))).toBe('dnevnik.value_unmapped');
    const renamed = connectorWith(stand, { maps: { ...stand.maps, workTypes: { ...stand.maps.workTypes, essay: 'Эссе' } } });
    expect(await codeOf(renamed.apply(change('works', 'create', { ...work, workType: 'essay' })))).toBe('dnevnik.value_unmapped');
    const { late: _, ...statuses } = stand.maps.attendanceStatuses;
    const noLate = connectorWith(stand, { maps: { ...stand.maps, attendanceStatuses: statuses as typeof stand.maps.attendanceStatuses } });
    expect(await codeOf(noLate.apply(change('attendance', 'create', { ...absence, status: 'late' })))).toBe('dnevnik.value_unmapped');
  });

  it('dnevnik.not_found: an update of a work deleted on the platform meanwhile', async () => {
    const { work } = place(stand, 3);
    const made = await stand.connector.apply(change('works', 'create', work));
    await stand.connector.apply(change('works', 'archive', work, { targetId: made.targetId }));
    expect(await codeOf(stand.connector.apply(change('works', 'update', { ...work, title: 'Другая' }, { targetId: made.targetId })))).toBe('dnevnik.not_found');
  });

  it('dnevnik.parameter_invalid: attendance of a pupil who is not in the lesson’s class', async () => {
    const { lesson, absence } = place(stand, 4);
    const stranger = stand.platform.memberships.find((m) => m.groupKind === 'class' && m.groupId !== lesson.groupId)!.pupilId;
    expect(await codeOf(stand.connector.apply(change('attendance', 'create', { ...absence, pupilId: stranger })))).toBe('dnevnik.parameter_invalid');
  });

  it('dnevnik.method_not_supported: an operation the capability matrix forbids is not sent', async () => {
    const { work } = place(stand, 5);
    const readOnly = connectorWith(stand, { capabilities: { ...stand.config.capabilities, works: { read: true, create: true, update: false, archive: false } } });
    const before = stand.emulator.state.requests.length;
    expect(await codeOf(readOnly.apply(change('works', 'update', work, { targetId: '999000000000000001' })))).toBe('dnevnik.method_not_supported');
    expect(stand.emulator.state.requests.length).toBe(before);
  });

  it('a create whose answer was lost is found by natural key at once, written once', async () => {
    const { work, mark, absence } = place(stand, 6);
    stand.emulator.setFaults({ dropAfterWriteRate: 1 });
    const w = await stand.connector.apply(change('works', 'create', work));
    const m = await stand.connector.apply(change('marks', 'create', mark(w.targetId)));
    const a = await stand.connector.apply(change('attendance', 'create', absence));
    expect([w, m, a].map((o) => o.request.path)).toEqual([LOST_ANSWER_CHECK, LOST_ANSWER_CHECK, LOST_ANSWER_CHECK]);
    expect(stand.emulator.state.works.get(w.targetId)?.title).toBe(work.title);
    expect(stand.emulator.state.marks.get(`${mark('').pupilId}/${w.targetId}`)?.sourceId).toBe(m.targetId);
    const landed = stand.emulator.state.writes.filter((x) => x.answerLost);
    expect(landed.map((x) => [x.entity, x.op, x.id])).toEqual([
      ['works', 'create', w.targetId],
      ['marks', 'create', m.targetId],
      ['attendance', 'create', `${absence.lessonId}/${absence.pupilId}`],
    ]);
  });

  it('a delete repeated after its answer was lost succeeds once the record is verifiably gone', async () => {
    const { work, mark, absence } = place(stand, 7);
    const w = await stand.connector.apply(change('works', 'create', work));
    const m = await stand.connector.apply(change('marks', 'create', mark(w.targetId)));
    await stand.connector.apply(change('attendance', 'create', absence));
    const archives = [
      change('marks', 'archive', mark(w.targetId), { targetId: m.targetId }),
      change('attendance', 'archive', absence, { targetId: `${absence.lessonId}-${absence.pupilId}` }),
      change('works', 'archive', { ...work, sourceId: w.targetId }, { targetId: w.targetId }),
    ];
    for (const archive of archives) {
      stand.emulator.setFaults({ dropAfterWriteRate: 1 });
      expect(await codeOf(stand.connector.apply(archive))).toBe('dnevnik.connection_failed');
      stand.emulator.setFaults({});
      expect((await stand.connector.apply(archive)).status).toBe(404);
    }
    const deletes = stand.emulator.state.writes.filter((x) => x.op === 'delete' && [m.targetId, w.targetId, `${absence.lessonId}/${absence.pupilId}`].includes(x.id));
    expect(deletes.map((x) => x.entity)).toEqual(['marks', 'attendance', 'works']);
  });

  it('a delete at a path the platform does not serve stays an error, the mark stays', async () => {
    const { work, mark } = place(stand, 8);
    const w = await stand.connector.apply(change('works', 'create', work));
    const m = await stand.connector.apply(change('marks', 'create', mark(w.targetId)));
    // The emulator serves the shipped endpoints; this connector deletes marks at another path.
    const elsewhere = connectorWith(stand, { markEndpoints: { ...stand.markEndpoints, delete: { method: 'DELETE', path: '/marks/{mark}' } } });
    expect(await codeOf(elsewhere.apply(change('marks', 'archive', mark(w.targetId), { targetId: m.targetId })))).toBe('dnevnik.method_not_supported');
    expect(stand.emulator.state.marks.has(`${mark('').pupilId}/${w.targetId}`)).toBe(true);
  });

  it('a work deleted on the platform (the platform answers 404 for it now): its marks read back as none, not as an error', async () => {
    const { work, mark } = place(stand, 10);
    const w = await stand.connector.apply(change('works', 'create', work));
    const m = mark(w.targetId);
    await stand.connector.apply(change('marks', 'create', m));
    await stand.connector.apply(change('works', 'archive', { ...work, sourceId: w.targetId }, { targetId: w.targetId }));
    expect(await stand.connector.readBack(change('marks', 'create', m, { targetId: 'x' }))).toBeNull();
    expect(await stand.connector.findExisting(change('marks', 'create', m))).toBeNull();
  });

  it('a work with a title and a description reads back with nothing to update', async () => {
    const { work } = place(stand, 9);
    const described = { ...work, description: 'Решить задачи 1–5 из сборника' };
    const made = await stand.connector.apply(change('works', 'create', described));
    const read = await stand.connector.readSnapshot({ schoolId: stand.platform.school.sourceId, from: work.date, to: work.date });
    const back = read.snapshot.works.find((x) => x.sourceId === made.targetId)!;
    expect(back.title).toBe(work.title);
    expect(differingFields({ ...described, sourceId: made.targetId } as never, back as never, stand.connector.comparableFields.works!)).toEqual([]);
  });
});

describe('DnevnikConnector: access codes', () => {
  let stand: Stand;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 30, seed: 'access' });
  });
  afterAll(() => stand?.emulator.close());
  const scope = () => ({ schoolId: stand.platform.school.sourceId, from: '2026-11-09', to: '2026-11-13' });
  const withTokens = (tokens: ConstructorParameters<typeof DnevnikClient>[0]['tokens']) => connectorWith(stand, { client: new DnevnikClient({ baseUrl: stand.emulator.apiBase, tokens, readAttempts: 1 }) });

  it('dnevnik.token_missing: the school was never connected (no token in the store)', async () => {
    const vault = new DnevnikTokenVault({ apiBase: stand.emulator.apiBase, oauthBase: stand.emulator.url, clientId: 'ejsync-emulator', clientSecret: 'emulator-secret' }, { get: async () => null, update: async (edit) => edit(null) });
    expect(await codeOf(withTokens(vault).readSnapshot(scope()))).toBe('dnevnik.token_missing');
    expect(await codeOf(vault.refresh('old'))).toBe('dnevnik.token_missing');
  });

  it('dnevnik.out_of_scope: access granted without EducationalInfo', async () => {
    const narrow = stand.emulator.issueToken('CommonInfo');
    expect(await codeOf(withTokens({ accessToken: async () => narrow.accessToken, refresh: async () => narrow.accessToken }).readSnapshot(scope()))).toBe('dnevnik.out_of_scope');
  });

  it('dnevnik.reconnect_needed: a token the platform refuses even after a refresh', async () => {
    const refreshed: string[] = [];
    const dead = { accessToken: async () => 'revoked', refresh: async (t: string) => (refreshed.push(t), 'revoked-too') };
    expect(await codeOf(withTokens(dead).readSnapshot(scope()))).toBe('dnevnik.reconnect_needed');
    expect(refreshed).toEqual(['revoked']);
  });
});

describe('mark endpoints from the config, served by the emulator at the same paths', () => {
  const byMarkId: MarkEndpoints = {
    create: { method: 'POST', path: '/persons/{person}/works/{work}/mark' },
    update: { method: 'PUT', path: '/marks/{mark}' },
    delete: { method: 'DELETE', path: '/marks/{mark}' },
  };
  const upsert: MarkEndpoints = {
    create: { method: 'POST', path: '/lessons/{lesson}/persons/{person}/works/{work}/mark' },
    update: { method: 'POST', path: '/lessons/{lesson}/persons/{person}/works/{work}/mark' },
    delete: { method: 'DELETE', path: '/lessons/{lesson}/persons/{person}/works/{work}/mark' },
  };

  it.each([
    ['by the mark’s own id', byMarkId, (p: { pupilId: string; lesson: Lesson }, work: string, mark: string) => [`POST /v2/persons/${p.pupilId}/works/${work}/mark`, `PUT /v2/marks/${mark}`, `DELETE /v2/marks/${mark}`]],
    ['one upsert endpoint with the lesson', upsert, (p: { pupilId: string; lesson: Lesson }, work: string) => [0, 1, 2].map((i) => `${['POST', 'POST', 'DELETE'][i]} /v2/lessons/${p.lesson.sourceId}/persons/${p.pupilId}/works/${work}/mark`)],
  ])('create → update → delete %s', async (_name, markEndpoints, expectedPaths) => {
    const stand = await startDnevnikStand({ pupils: 30, seed: 'endpoints', markEndpoints });
    try {
      const p = place(stand, 0);
      const w = await stand.connector.apply(change('works', 'create', p.work));
      const m = await stand.connector.apply(change('marks', 'create', p.mark(w.targetId, '3')));
      const u = await stand.connector.apply(change('marks', 'update', p.mark(w.targetId, '4'), { targetId: m.targetId }));
      expect(u.targetId).toBe(m.targetId);
      expect(stand.emulator.state.marks.get(`${p.pupilId}/${w.targetId}`)?.platformValue).toBe('4');
      await stand.connector.apply(change('marks', 'archive', p.mark(w.targetId, '4'), { targetId: m.targetId }));
      expect(stand.emulator.state.marks.size).toBe(0);
      const marks = stand.emulator.state.writes.filter((x) => x.entity === 'marks');
      expect(marks.map((x) => `${x.method} ${x.path}`)).toEqual(expectedPaths(p, w.targetId, m.targetId));
      expect(marks.map((x) => x.op)).toEqual(['create', 'update', 'delete']);
      if (markEndpoints === byMarkId) {
        // A "not found" for a mark that is still there (a wrong id) is never taken for a repeated delete.
        const again = await stand.connector.apply(change('marks', 'create', p.mark(w.targetId, '5')));
        expect(await codeOf(stand.connector.apply(change('marks', 'archive', p.mark(w.targetId, '5'), { targetId: '999000000000009999' })))).toBe('dnevnik.not_found');
        expect(stand.emulator.state.marks.get(`${p.pupilId}/${w.targetId}`)?.sourceId).toBe(again.targetId);
      }
    } finally {
      await stand.emulator.close();
    }
  });
});
