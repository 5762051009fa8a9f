import axios from 'axios';
import { DnevnikConnector } from '../../../src/connectors/dnevnik';
import { isEjsyncError, type EntityCollection, type Mark, type ResolvedChange, type Work } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;

let seq = 0;
const change = (entity: EntityCollection, op: ResolvedChange['op'], after: object, more: Partial<ResolvedChange> = {}): ResolvedChange => ({ id: `${entity}.${op}.s${++seq}`, entity, op, sourceId: `s${seq}`, after, ...more }) as ResolvedChange;

async function codeOf(p: Promise<unknown>): Promise<string> {
  try {
    await p;
  } catch (e) {
    if (isEjsyncError(e)) return e.code;
    throw e;
  }
  throw new Error('expected a failure');
}

/** A class lesson of the onboarded school, a pupil of that class, a work on it and a mark maker. */
async function placed(stand: Stand, n: number) {
  const lesson = stand.platform.lessons.filter((l) => l.groupKind === 'class')[n];
  const pupilId = stand.platform.memberships.find((m) => m.groupId === lesson.groupId)!.pupilId;
  const work: Work = { sourceId: `w${n}`, groupId: lesson.groupId, subjectId: lesson.subjectId, lessonId: lesson.sourceId, date: lesson.date, workType: 'control', title: `Контрольная № ${n}` };
  const workId = (await stand.connector.apply(change('works', 'create', work))).targetId;
  const mark = (value: string): Mark => ({ sourceId: `m${n}`, pupilId, subjectId: lesson.subjectId, groupId: lesson.groupId, kind: 'current', value, date: lesson.date, workId, lessonId: lesson.sourceId });
  return { lesson, pupilId, workId, mark };
}

const markWrites = (stand: Stand) => stand.emulator.state.requests.filter((r) => r.path.endsWith('/mark') && r.method !== 'GET').length;

/** Issue 15 point 4: which marks a school may set is its mark system on the platform, not a list in ejsync. */
describe('Дневник.ру mark systems: read from the platform, marks outside them refused before any write', () => {
  describe('a five-point school (the default, as published)', () => {
    let stand: Stand;
    beforeAll(async () => {
      stand = await startDnevnikStand({ pupils: 20, seed: 'marks5' });
    });
    afterAll(() => stand?.emulator.close());
    const headers = () => ({ 'Access-Token': stand.token.accessToken });

    it('the emulator lists its systems (mark5 as the published example) and the school names its own', async () => {
      const { data: all } = await axios.get<Record<string, string[]>>(`${stand.emulator.apiBase}/marks/values`, { headers: headers() });
      expect(all.mark5).toEqual(['1-', '1', '1+', '2-', '2', '2+', '3-', '3', '3+', '4-', '4', '4+', '5-', '5', '5+']);
      const { data: school } = await axios.get<{ markType: string }>(`${stand.emulator.apiBase}/schools/${stand.platform.school.sourceId}`, { headers: headers() });
      expect(school.markType).toBe('mark5');
      const missing = await axios.get(`${stand.emulator.apiBase}/marks/values/type/mark7`, { headers: headers(), validateStatus: () => true });
      expect([missing.status, missing.data]).toEqual([404, { type: 'apiResourceUnavailable', description: 'Ресурс не существует' }]);
    });

    it('a mark in the system is written; «зач» is a finding at planning and never reaches the platform', async () => {
      const p = await placed(stand, 0);
      await stand.connector.readSnapshot({ schoolId: stand.platform.school.sourceId, from: p.lesson.date, to: p.lesson.date });
      const good = change('marks', 'create', p.mark('4-'));
      const pass = change('marks', 'create', p.mark('зач'));
      const screened = await stand.connector.screen([good, pass, change('works', 'create', {})]);
      expect([...screened.keys()]).toEqual([pass.id]);
      expect(screened.get(pass.id)).toMatchObject({ code: 'dnevnik.mark_not_in_system', severity: 'error', entity: 'marks', sourceId: pass.sourceId });
      expect(screened.get(pass.id)!.message).toContain('mark5');
      const before = markWrites(stand);
      // Were it delivered anyway (planned elsewhere), the connector refuses it without a request.
      expect(await codeOf(stand.connector.apply(pass))).toBe('dnevnik.mark_not_in_system');
      expect(markWrites(stand)).toBe(before);
      await stand.connector.apply(good);
      expect(stand.emulator.state.marks.get(`${p.pupilId}/${p.workId}`)?.platformValue).toBe('4-');
    });

    it('the platform itself refuses a value outside the school’s system (parameterInvalid), not by a pattern', async () => {
      const p = await placed(stand, 1);
      const url = `${stand.emulator.apiBase}/persons/${p.pupilId}/works/${p.workId}/mark`;
      const refused = await axios.post(url, { mark: { value: 'З' } }, { headers: headers(), validateStatus: () => true });
      expect(refused.status).toBe(400);
      expect(refused.data).toEqual({ type: 'parameterInvalid', description: 'Недопустимое значение оценки: З' });
    });
  });

  describe('a ten-point school (`--mark-type mark10`)', () => {
    let stand: Stand;
    beforeAll(async () => {
      stand = await startDnevnikStand({ pupils: 20, seed: 'marks10', emulator: { markType: 'mark10' } });
    });
    afterAll(() => stand?.emulator.close());

    it('five-point marks are findings until the school’s table translates them; then they are written and read back', async () => {
      const p = await placed(stand, 0);
      const read = await stand.connector.readSnapshot({ schoolId: stand.platform.school.sourceId, from: p.lesson.date, to: p.lesson.date });
      expect(read.findings.filter((f) => f.code === 'dnevnik.mark_system_unknown')).toEqual([]);
      const five = change('marks', 'create', p.mark('5'));
      expect((await stand.connector.screen([five])).get(five.id)?.code).toBe('dnevnik.mark_not_in_system');
      expect(await codeOf(stand.connector.apply(five))).toBe('dnevnik.mark_not_in_system');

      const tenPoint = new DnevnikConnector({
        client: stand.client,
        baseUrl: stand.emulator.apiBase,
        schoolId: stand.platform.school.sourceId,
        timeZone: stand.source.school.timeZone,
        capabilities: stand.config.capabilities,
        comparableFields: stand.config.comparableFields,
        comparison: stand.config.comparison,
        maps: { ...stand.maps, markSystemValues: { mark10: { '5': '10', '4': '8', '3': '6', '2': '4' } } },
        markEndpoints: stand.markEndpoints,
      });
      expect((await tenPoint.screen([five])).size).toBe(0);
      await tenPoint.apply(five);
      expect(stand.emulator.state.marks.get(`${p.pupilId}/${p.workId}`)?.platformValue).toBe('10');
      const back = await tenPoint.readSnapshot({ schoolId: stand.platform.school.sourceId, from: p.lesson.date, to: p.lesson.date });
      expect(back.snapshot.marks.find((m) => m.workId === p.workId)?.value).toBe('5');
      // Without the table the platform's 10 is not a five-point mark: read as nothing, with a warning.
      const naive = await stand.connector.readSnapshot({ schoolId: stand.platform.school.sourceId, from: p.lesson.date, to: p.lesson.date });
      expect(naive.snapshot.marks.find((m) => m.workId === p.workId)).toBeUndefined();
      expect(naive.findings.some((f) => f.code === 'dnevnik.value_unmapped' && f.entity === 'marks')).toBe(true);
    });
  });
});
