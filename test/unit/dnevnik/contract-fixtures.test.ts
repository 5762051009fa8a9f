import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import * as schemas from '../../../src/connectors/dnevnik/wire-schemas';
import { checkShape, classifyFailure, parseWireJson } from '../../../src/connectors/dnevnik';
import { lessonFromWire, markFromWire, workFromWire, type WireLesson, type WireMark, type WireWorkType } from '../../../src/mappers/dnevnik';
import { loadDnevnikPlatform } from '../../../src/config/platform-config';
import { valueMapsOf } from '../../../src/connectors/dnevnik';

/**
 * Contract fixtures (test/contract/dnevnik/answers/*.json): answers written from the published
 * models of the partners API v2, each citing its evidence and naming its request. Every one must
 * pass the connector's schema, and the ids must come out exact although most exceed 2^53 and many
 * have no `*_str` twin. (test/contract/dnevnik/ runs them through the client and the emulator.)
 */
const DIR = path.join(__dirname, '..', '..', 'contract', 'dnevnik', 'answers');

interface Fixture {
  _source: { endpoint: string; evidence: { repo: string; path: string; commit: string | null; shows: string }[]; values: string; assumed?: string };
  request: { method: string; path: string };
  /** A schema of wire-schemas.ts, `classifyFailure` for an error, `none` for a write whose answer is not read. */
  schema: string;
  list: boolean;
  status?: number;
  expect?: string;
  response: unknown;
}

const files = readdirSync(DIR).filter((f) => f.endsWith('.json')).sort();
const load = (name: string) => {
  const text = readFileSync(path.join(DIR, name), 'utf8');
  return { text, fixture: parseWireJson(text) as Fixture };
};
const schemaOf = (f: Fixture) => {
  const one = (schemas as unknown as Record<string, z.ZodType>)[f.schema];
  if (!one) throw new Error(`no schema ${f.schema}`);
  return f.list ? schemas.listOf(one) : one;
};
const parse = <T>(name: string): T => {
  const { fixture } = load(name);
  return checkShape(schemaOf(fixture), fixture.response, { method: 'GET', path: fixture._source.endpoint }) as T;
};

describe('Дневник.ру contract fixtures', () => {
  it('there is a fixture for every wire type the connector reads, each citing repository, path and what it shows', () => {
    expect(files.length).toBeGreaterThanOrEqual(28);
    const used = new Set(files.map((f) => load(f).fixture.schema));
    for (const s of ['schoolSchema', 'eduGroupSchema', 'personSchema', 'userSchema', 'groupStudentsSchema', 'subjectSchema', 'reportingPeriodSchema', 'workTypeSchema', 'workSchema', 'lessonSchema', 'markSchema', 'markValuesSchema', 'markValuesOfTypeSchema', 'logEntrySchema', 'logEntryOfPersonSchema', 'tokenSchema', 'classifyFailure', 'none']) expect(used).toContain(s);
    for (const f of files) {
      const { _source, request } = load(f).fixture;
      expect(request.method).toMatch(/^(GET|POST|PUT|DELETE)$/);
      expect(request.path).toMatch(/^\//);
      expect(_source.evidence.length).toBeGreaterThan(0);
      for (const e of _source.evidence) {
        expect(e.repo).toMatch(/^[\w.-]+\/[\w.-]+$/);
        expect(e.path).toBeTruthy();
        expect(e.shows).toBeTruthy();
        if (e.commit !== null) expect(e.commit).toMatch(/^[0-9a-f]{40}$/);
      }
    }
  });

  it.each(files.filter((f) => !['classifyFailure', 'none'].includes(load(f).fixture.schema)))('%s passes the connector’s schema', (name) => {
    const { fixture } = load(name);
    expect(() => checkShape(schemaOf(fixture), fixture.response, { method: 'GET', path: fixture._source.endpoint })).not.toThrow();
  });

  it('lessons: the group, the works’ workType and subjectId have no twin in the published models, and are read exactly from the numbers', () => {
    const { text, fixture } = load('lessons.json');
    const raw = (fixture.response as Record<string, unknown>[])[0];
    expect(raw).not.toHaveProperty('group_str');
    expect((raw.works as Record<string, unknown>[])[0]).not.toHaveProperty('workType_str');
    expect((raw.works as Record<string, unknown>[])[0]).not.toHaveProperty('subjectId_str');
    // What JSON.parse would have made of them: a neighbouring id.
    expect(String((JSON.parse(text) as { response: { group: number }[] }).response[0].group)).not.toBe('9000000000000002001');

    const [lesson, subgroupLesson] = parse<WireLesson[]>('lessons.json');
    expect(lesson.group_str).toBe('9000000000000002001');
    expect(subgroupLesson.group_str).toBe('9000000000000002002');
    expect(lesson.teachers_str).toEqual(['9000000000000007001']);
    expect(lesson.works.map((w) => [w.id_str, w.workType_str, w.subjectId_str, w.lesson_str, w.eduGroup_str])).toEqual([
      ['9000000000000004001', '9000000000000005001', '9000000000000006001', '9000000000000003001', '9000000000000002001'],
      ['9000000000000004002', '9000000000000005002', '9000000000000006001', '9000000000000003001', '9000000000000002001'],
    ]);
    expect(lessonFromWire(lesson, 'class')).toMatchObject({ sourceId: '9000000000000003001', groupId: '9000000000000002001', subjectId: '9000000000000006001', teacherId: '9000000000000007001', date: '2026-11-09' });
  });

  it('work types with and without id_str (the two published models disagree) both map a lesson’s works', () => {
    const types = parse<WireWorkType[]>('work-types.json');
    expect(types.map((t) => t.id_str)).toEqual(['9000000000000005001', '9000000000000005002']);
    const byId = new Map(types.map((t) => [t.id_str, t]));
    const maps = valueMapsOf(loadDnevnikPlatform());
    const [lesson] = parse<WireLesson[]>('lessons.json');
    const works = lesson.works.map((w) => workFromWire(w, lesson, byId, maps));
    expect(works.map((w) => w && [w.workType, w.subjectId, w.groupId])).toEqual([
      ['control', '9000000000000006001', '9000000000000002001'],
      ['homework', '9000000000000006001', '9000000000000002001'],
    ]);
    const [mark] = parse<WireMark[]>('group-marks.json');
    expect(markFromWire(mark, works[0]!, maps)).toMatchObject({ pupilId: '9000000000000001001', workId: '9000000000000004001', lessonId: '9000000000000003001', value: '5' });
  });

  it('one log entry of a pupil on a lesson is a single object; a list and null are read too', () => {
    const one = parse<{ status: string; person_str: string }[]>('person-log-entry.json');
    expect(one).toEqual([expect.objectContaining({ status: 'Ill', person_str: '9000000000000001001', lesson_str: '9000000000000003001' })]);
    const entry = load('person-log-entry.json').fixture.response;
    expect(schemas.logEntryOfPersonSchema.parse([entry])).toHaveLength(1);
    expect(schemas.logEntryOfPersonSchema.parse(null)).toEqual([]);
  });

  it('a subgroup reads its class from parentIds; a person without a user has userId null', () => {
    const [, subgroup] = parse<{ parentIds_str: string[]; timetable_str: string | null }[]>('edu-groups.json');
    expect(subgroup.parentIds_str).toEqual(['9000000000000002001']);
    const [{ students }] = parse<{ students: { person: { id_str: string; userId_str: string | null } }[] }[]>('edu-groups-students.json');
    expect(students.map((s) => s.person.userId_str)).toEqual(['9000000000000010001', null]);
  });

  it('users/many: the birthday is on the account, read by its person; a user without a birthday has none', () => {
    const users = parse<{ id_str: string; personId_str: string | null; birthday?: string | null }[]>('users-many.json');
    expect(users.map((u) => [u.id_str, u.personId_str, u.birthday ?? null])).toEqual([
      ['9000000000000010001', '9000000000000001001', '2013-04-17T00:00:00'],
      ['9000000000000010002', '9000000000000001002', null],
    ]);
  });

  it('mark systems: every system with its values (nulls hold nothing), and one system’s values', () => {
    const all = parse<Record<string, string[]>>('mark-values.json');
    expect(all.mark5).toEqual(parse<string[]>('mark-values-type.json'));
    expect(all.mark10).toHaveLength(10);
    expect(parse<{ markType?: string }>('school.json').markType).toBe('Mark5');
  });

  it('the token answer and the error envelope', () => {
    expect(parse<{ user_str: string }>('token.json').user_str).toBe('9000000000000010001');
    const { fixture } = load('error-envelope.json');
    const failure = classifyFailure({ status: fixture.status, contentType: 'application/json; charset=utf-8', body: JSON.stringify(fixture.response) });
    expect(failure.code).toBe(fixture.expect);
    expect(failure.detail).toBe('Превышен лимит запросов для данного токена');
  });
});
