import nock from 'nock';
import { DnevnikClient, DnevnikLookups, idText, lessonSchema, listOf, parseWireJson, readId, readIds, stringifyWireJson } from '../../../src/connectors/dnevnik';
import { loadDnevnikPlatform } from '../../../src/config/platform-config';
import { valueMapsOf } from '../../../src/connectors/dnevnik';
import { isEjsyncError, type ResolvedChange } from '../../../src/model';

const BASE = 'https://api.dnevnik.test/v2';
const client = () => new DnevnikClient({ baseUrl: BASE, tokens: { accessToken: async () => 't', refresh: async () => 't' }, rateLimit: { max: 1000, durationMs: 1000 }, readAttempts: 1 });
const JSON_TYPE = { 'Content-Type': 'application/json; charset=utf-8' };

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isEjsyncError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('64-bit ids: lossless JSON and one way to read an id', () => {
  it('parseWireJson keeps integers beyond 2^53 as exact digits, everything else as numbers', () => {
    const text = '{"group":9000000000000002001,"number":3,"weight":1.5,"teachers":[9000000000000007001,12]}';
    expect(parseWireJson(text)).toEqual({ group: '9000000000000002001', number: 3, weight: 1.5, teachers: ['9000000000000007001', 12] });
    expect(String((JSON.parse(text) as { group: number }).group)).toBe('9000000000000002000'); // what the old parse read
    expect(() => parseWireJson('{"a":')).toThrow(SyntaxError);
  });

  it('readId: the twin when there is one, else the number; a rounded double or a non-id is never an id', () => {
    expect(readId({ group: '9000000000000002001', group_str: '9000000000000002001' }, 'group')).toBe('9000000000000002001');
    expect(readId({ group: '9000000000000002001' }, 'group')).toBe('9000000000000002001');
    expect(readId({ group: 42 }, 'group')).toBe('42');
    expect(readId({ group: 0, group_str: '9000000000000002001' }, 'group')).toBe('9000000000000002001');
    expect(readId({ group: 9000000000000002000 }, 'group')).toBeNull();
    expect(readId({ group: -1 }, 'group')).toBeNull();
    expect(readId({ group: 'abc', group_str: '' }, 'group')).toBeNull();
    expect(readIds({ teachers: ['9000000000000007001', 5] }, 'teachers')).toEqual(['9000000000000007001', '5']);
    expect(readIds({ parentIds: [7], parentIds_str: [null] }, 'parentIds')).toEqual(['7']);
    expect(idText(1.5)).toBeNull();
  });

  it('stringifyWireJson writes every id from its twin as an exact number', () => {
    expect(stringifyWireJson({ work: { lesson: 0, lesson_str: '9000000000000003001', teachers: [0], teachers_str: ['9000000000000007001'], text: 'x', gone: undefined } })).toBe(
      '{"work":{"lesson":9000000000000003001,"lesson_str":"9000000000000003001","teachers":[9000000000000007001],"teachers_str":["9000000000000007001"],"text":"x"}}',
    );
  });
});

describe('answers the connector does not understand: dnevnik.unexpected_shape naming path and field', () => {
  const lesson = (over: Record<string, unknown> = {}, work: Record<string, unknown> = {}) =>
    stringifyWireJson([{ id_str: '9000000000000003001', date: '2026-11-09T08:00:00', number: 1, subject: { id: 5, name: 'Математика' }, group: 9, teachers: [], works: [{ id: 1, lesson: 2, eduGroup: 9, subjectId: 5, workType: 3, targetDate: '2026-11-09T00:00:00', ...work }], ...over }]);

  it('a group id that is no id', async () => {
    nock(BASE).get('/edu-groups/9/lessons/2026-11-09/2026-11-09').reply(200, lesson({ group: 'пятый А' }), JSON_TYPE);
    const e = await failure(client().get('/edu-groups/9/lessons/2026-11-09/2026-11-09', listOf(lessonSchema)));
    expect(e.code).toBe('dnevnik.unexpected_shape');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('GET /edu-groups/9/lessons/2026-11-09/2026-11-09: поле [0].group — ожидался идентификатор');
    expect(e.hint).toMatch(/ничего не записано/);
  });

  it('a work without its work type (neither number nor twin)', async () => {
    nock(BASE).get('/edu-groups/9/lessons/2026-11-09/2026-11-09').reply(200, lesson({}, { workType: undefined }), JSON_TYPE);
    const e = await failure(client().get('/edu-groups/9/lessons/2026-11-09/2026-11-09', listOf(lessonSchema)));
    expect(e.code).toBe('dnevnik.unexpected_shape');
    expect(e.message).toContain('поле [0].works[0].workType — нет идентификатора');
  });

  it('a date that is no date, and an object where a list belongs', async () => {
    nock(BASE).get('/edu-groups/9/lessons/a/b').reply(200, lesson({ date: '09.11.2026' }), JSON_TYPE);
    expect((await failure(client().get('/edu-groups/9/lessons/a/b', listOf(lessonSchema)))).message).toContain('поле [0].date — ожидалась дата вида ГГГГ-ММ-ДД');
    nock(BASE).get('/edu-groups/9/lessons/c/d').reply(200, '{"lessons":[]}', JSON_TYPE);
    expect((await failure(client().get('/edu-groups/9/lessons/c/d', listOf(lessonSchema)))).message).toContain('поле ответ целиком');
  });

  it('lessons without twins read exactly', async () => {
    nock(BASE).get('/edu-groups/9/lessons/x/y').reply(200, lesson({ group: '9000000000000002001' }, { workType: '9000000000000005001', subjectId: '9000000000000006001' }).replace(/"(9\d{18})"/g, '$1'), JSON_TYPE);
    const [l] = await client().get('/edu-groups/9/lessons/x/y', listOf(lessonSchema));
    expect([l.group_str, l.works[0].workType_str, l.works[0].subjectId_str]).toEqual(['9000000000000002001', '9000000000000005001', '9000000000000006001']);
  });
});

describe('a pupil’s log entry on a lesson: one object (as published), a list, null or "not found"', () => {
  const lookups = () => new DnevnikLookups(client(), '1', valueMapsOf(loadDnevnikPlatform()));
  const create = { id: 'attendance.create.a1', entity: 'attendance', op: 'create', sourceId: 'a1', after: { sourceId: 'a1', pupilId: '9000000000000001001', lessonId: '9000000000000003001', status: 'absent' } } as ResolvedChange;
  const path = '/lesson-log-entries/lesson/9000000000000003001/person/9000000000000001001';
  const entry = (status: string) => `{"person":9000000000000001001,"lesson":9000000000000003001,"status":"${status}","comment":null}`;

  it.each([
    ['one object', entry('Absent'), 200, '9000000000000003001-9000000000000001001'],
    ['a list', `[${entry('Ill')}]`, 200, '9000000000000003001-9000000000000001001'],
    ['an Attend object (no record)', entry('Attend'), 200, null],
    ['null', 'null', 200, null],
    ['not found', '{"type":"apiResourceUnavailable","description":"Ресурс не существует"}', 404, null],
  ])('%s', async (_what, body, status, expected) => {
    nock(BASE).get(path).reply(status, body, JSON_TYPE);
    expect(await lookups().existing(create)).toBe(expected);
  });

  it('an entry of another shape is a coded error, not a TypeError', async () => {
    nock(BASE).get(path).reply(200, '{"entries":"Absent"}', JSON_TYPE);
    const e = await failure(lookups().existing(create));
    expect(e.code).toBe('dnevnik.unexpected_shape');
  });
});
