import axios from 'axios';
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { parse as parseLossless, stringify as stringifyLossless } from 'lossless-json';
import nock from 'nock';
import type { z } from 'zod';
import { DEFAULT_MARK_ENDPOINTS } from '../../../src/config/platform-config';
import * as schemas from '../../../src/connectors/dnevnik/wire-schemas';
import { authorizeUrl, checkShape, classifyFailure, DnevnikClient, exchangeCode, int64Array, parseWireJson, refreshRequestBody, refreshTokens, RawJson, stringifyWireJson } from '../../../src/connectors/dnevnik';
import { consentAs } from '../../../src/connectors/dnevnik/emulator';
import { logEntryBody, markBody, workBody } from '../../../src/mappers/dnevnik';
import { isEjsyncError, type Attendance, type Mark, type ResolvedChange, type Work } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

/**
 * The Дневник.ру contract (issue 15 point 6): for every endpoint the connector uses there is an
 * answer written from the published models (answers/*.json, each citing its sources), and the same
 * schema judges it twice — as the client parses a real answer (over HTTP, lossless, checked), and
 * as the emulator answers the same request. What the emulator says and what the published models
 * say cannot drift apart unnoticed.
 */
const ANSWERS = path.join(__dirname, 'answers');
const SRC = path.join(__dirname, '..', '..', '..', 'src', 'connectors', 'dnevnik');

interface Fixture {
  file: string;
  _source: { endpoint: string };
  request: { method: 'GET' | 'POST' | 'PUT' | 'DELETE'; path: string; query?: Record<string, string>; body?: string; fault?: 'burst429' };
  schema: string;
  list: boolean;
  status?: number;
  expect?: string;
  response: unknown;
  /** The answer as it is in the file, number for number. */
  text: string;
}

const fixtures: Fixture[] = readdirSync(ANSWERS)
  .filter((f) => f.endsWith('.json'))
  .sort()
  .map((file) => {
    const raw = readFileSync(path.join(ANSWERS, file), 'utf8');
    const whole = parseLossless(raw) as { response: unknown };
    return { ...(parseWireJson(raw) as Omit<Fixture, 'file' | 'text'>), file, text: stringifyLossless(whole.response) ?? 'null' };
  });

const schemaOf = (f: Fixture): z.ZodType => {
  const one = (schemas as unknown as Record<string, z.ZodType>)[f.schema];
  if (!one) throw new Error(`${f.file}: no schema ${f.schema}`);
  return f.list ? schemas.listOf(one) : one;
};

/** `/edu-groups/${g.id_str}/lessons/${from}/${to}` and `/edu-groups/{class}/lessons/{from}/{to}` alike → `/edu-groups/{}/lessons/{}/{}`. */
const shape = (p: string) => p.replace(/\$\{[^}]*\}/g, '{}').replace(/\{[a-z]+\}/gi, '{}').replace(/\?.*$/, '');

/** Every API path the connector's code names (template literals and quoted paths), and the configured mark endpoints. */
function connectorPaths(): Set<string> {
  const out = new Set<string>(['/authorizations', ...Object.values(DEFAULT_MARK_ENDPOINTS).map((e) => shape(e.path))]);
  for (const file of readdirSync(SRC).filter((f) => f.endsWith('.ts'))) {
    const text = readFileSync(path.join(SRC, file), 'utf8');
    // Paths in code, not the examples of doc comments (`1000…1`, `:person`).
    const code = text.replace(/\/\*[\s\S]*?\*\//g, '').replace(/^\s*\/\/.*$/gm, '');
    for (const m of code.matchAll(/[`'](\/(?:schools|edu-groups|work-types|lessons|lesson-log-entries|persons|works|marks|users|authorizations)[^`'\s]*)[`']/g)) out.add(shape(m[1]));
  }
  return out;
}

describe('Дневник.ру contract: a published-model answer for every endpoint the connector uses', () => {
  it('every path the connector uses has an answer, and every answer is of a path the connector uses', () => {
    const used = connectorPaths();
    const answered = new Set(fixtures.map((f) => shape(f.request.path)));
    expect([...used].filter((p) => !answered.has(p)).sort()).toEqual([]);
    expect([...answered].filter((p) => !used.has(p)).sort()).toEqual([]);
    // Each method the connector sends to a path has its own answer.
    for (const m of ['POST /users/many', 'POST /works', 'PUT /works/{}', 'DELETE /works/{}', 'POST /lessons/{}/log-entries', 'PUT /lessons/{}/log-entries', 'DELETE /lessons/{}/log-entries', 'POST /persons/{}/works/{}/mark', 'PUT /persons/{}/works/{}/mark', 'DELETE /persons/{}/works/{}/mark']) {
      expect(fixtures.map((f) => `${f.request.method} ${shape(f.request.path)}`)).toContain(m);
    }
  });
});

describe('the client parses every recorded answer (over HTTP, losslessly, checked by its schema)', () => {
  const BASE = 'https://api.dnevnik.contract/v2';
  // A client per answer: a 429 pauses the client that got it.
  const newClient = () => new DnevnikClient({ baseUrl: BASE, tokens: { accessToken: async () => 't', refresh: async () => 't' }, readAttempts: 1, rateLimit: { max: 10_000, durationMs: 1000 } });
  const app = { apiBase: BASE, oauthBase: 'https://login.dnevnik.contract', clientId: 'app', clientSecret: 'secret' };
  const concrete = (p: string) => p.replace(/\{(from|to)\}/g, '2026-11-09').replace(/\{type\}/g, 'mark5').replace(/\{[a-z]+\}/gi, '9000000000000000001');
  beforeAll(() => nock.disableNetConnect());
  afterAll(() => nock.enableNetConnect());
  afterEach(() => nock.cleanAll());

  it.each(fixtures.map((f) => [f.file, f] as const))('%s', async (_file, f) => {
    const p = concrete(f.request.path);
    const client = newClient();
    const json = { 'Content-Type': 'application/json; charset=utf-8' };
    const scope = nock(BASE)
      .intercept(p, f.request.method)
      .query(true)
      .reply(f.status ?? (f.schema === 'none' ? 204 : 200), f.schema === 'none' ? '' : f.text, f.schema === 'none' ? {} : json);
    if (f.schema === 'classifyFailure') {
      const error = await client.get(p, schemas.schoolSchema).catch((e: unknown) => e);
      expect(isEjsyncError(error) && error.code).toBe(f.expect);
    } else if (f.schema === 'tokenSchema') {
      const token = f.request.body === 'refresh' ? await refreshTokens(app, 'r') : await exchangeCode(app, 'c');
      expect(token.userId).toMatch(/^\d+$/);
    } else if (f.schema === 'none') {
      if (f.request.method === 'DELETE') await client.delete(p, f.request.query ? { person: '9000000000000000001' } : undefined);
      else await expect(client.write(f.request.method as 'POST' | 'PUT', p, {})).resolves.toBeUndefined();
    } else if (f.request.method === 'GET') {
      expect(await client.get(p, schemaOf(f))).toEqual(checkShape(schemaOf(f), parseWireJson(f.text), { method: 'GET', path: p }));
    } else if (f.request.body?.startsWith('[')) {
      expect(await client.readByPost(p, new RawJson('[9000000000000000001]'), schemaOf(f))).toHaveLength((f.response as unknown[]).length);
    } else {
      const answer = (await client.write(f.request.method as 'POST' | 'PUT', p, {}, schemaOf(f))) as { id_str: string };
      expect(answer.id_str).toMatch(/^\d{19}$/);
    }
    expect(scope.isDone()).toBe(true);
  });
});

describe('the emulator answers the same requests in shapes the same schemas accept', () => {
  /** The emulator's own partner app. */
  const APP = { clientId: 'ejsync-emulator', clientSecret: 'emulator-secret' };
  let stand: Awaited<ReturnType<typeof startDnevnikStand>>;
  const ctx: Record<string, string> = {};
  let refreshToken = '';
  let seq = 0;
  const change = (entity: ResolvedChange['entity'], after: object): ResolvedChange => ({ id: `${entity}.create.c${++seq}`, entity, op: 'create', sourceId: `c${seq}`, after }) as ResolvedChange;
  let work: Work;
  let pupil = '';

  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 20, seed: 'contract' });
    const p = stand.platform;
    const subgroup = p.subgroups.find((g) => p.lessons.some((l) => l.groupId === g.sourceId))!;
    const lesson = p.lessons.find((l) => l.groupId === subgroup.classId)!;
    pupil = p.memberships.find((m) => m.groupId === lesson.groupId)!.pupilId;
    work = { sourceId: 'cw', groupId: lesson.groupId, subjectId: lesson.subjectId, lessonId: lesson.sourceId, date: lesson.date, workType: 'control', title: 'Контрольная работа' };
    const w = await stand.connector.apply(change('works', work));
    const mark: Mark = { sourceId: 'cm', pupilId: pupil, subjectId: lesson.subjectId, groupId: lesson.groupId, kind: 'current', value: '5', date: lesson.date, workId: w.targetId, lessonId: lesson.sourceId };
    await stand.connector.apply(change('marks', mark));
    const absence: Attendance = { sourceId: 'ca', pupilId: pupil, lessonId: lesson.sourceId, status: 'ill' };
    await stand.connector.apply(change('attendance', absence));
    Object.assign(ctx, { school: p.school.sourceId, class: subgroup.classId, subgroup: subgroup.sourceId, lesson: lesson.sourceId, person: pupil, work: w.targetId, from: lesson.date, to: lesson.date, type: 'mark5', user: stand.emulator.state.users.get(pupil)! });
  });
  afterAll(() => stand?.emulator.close());

  const fill = (s: string) => s.replace(/\{([a-z]+)\}/gi, (_a, k: string) => ctx[k] ?? `{${k}}`);
  async function body(kind: string | undefined): Promise<string | undefined> {
    const workTypeId = stand.emulator.state.workTypes[0].id_str;
    const now = { ...work, lessonId: ctx.lesson };
    const mark = { sourceId: 'x', pupilId: ctx.person, subjectId: work.subjectId, groupId: work.groupId, kind: 'current', value: '4-', date: work.date, workId: ctx.work, lessonId: ctx.lesson } as Mark;
    switch (kind) {
      case undefined:
        return undefined;
      case 'work':
        return stringifyWireJson(workBody(now, workTypeId, ctx.lesson));
      case 'mark':
        return stringifyWireJson(markBody(mark, '4-'));
      case 'logEntry':
        return stringifyWireJson(logEntryBody({ sourceId: 'x', pupilId: ctx.person, lessonId: ctx.lesson, status: 'absent' }, 'Absent'));
      case 'code': {
        const back = new URL(await consentAs(authorizeUrl({ apiBase: stand.emulator.apiBase, oauthBase: stand.emulator.url, ...APP }, ['CommonInfo', 'EducationalInfo'], 'http://127.0.0.1/cb', 's')));
        return JSON.stringify({ code: back.searchParams.get('code'), client_id: APP.clientId, client_secret: APP.clientSecret, grant_type: 'AuthorizationCode' });
      }
      case 'refresh':
        return refreshRequestBody(APP, refreshToken);
      default:
        return int64Array(fill(kind).slice(1, -1).split(',')).text;
    }
  }

  /** Reads before writes, a created work before what is written on it, deletes last, sign-in, then the refused request. */
  const ORDER = ['GET', 'POST /edu-groups', 'POST /users/many', 'POST /works', 'POST /persons', 'PUT /persons', 'PUT /works', 'POST /lessons', 'PUT /lessons', 'DELETE /lessons', 'DELETE /persons', 'DELETE /works', 'POST /authorizations', 'fault'];
  const rank = (f: Fixture) => (f.request.fault ? ORDER.length : ORDER.findIndex((o) => `${f.request.method} ${f.request.path}`.startsWith(o) && (o !== 'GET' || f.request.method === 'GET')));
  const ordered = [...fixtures].sort((a, b) => rank(a) - rank(b) || (a.request.body === 'refresh' ? 1 : 0) - (b.request.body === 'refresh' ? 1 : 0));

  it('has a place in the order for every answer', () => {
    expect(ordered.filter((f) => rank(f) < 0).map((f) => f.file)).toEqual([]);
  });

  it.each(ordered.map((f) => [f.file, f] as const))('%s', async (_file, f) => {
    if (f.request.fault) stand.emulator.setFaults({ burst429Rate: 1, retryAfterSeconds: 0.05 });
    const url = `${stand.emulator.apiBase}${fill(f.request.path)}`;
    const data = await body(f.request.body);
    const r = await axios.request<string>({
      method: f.request.method,
      url,
      params: f.request.query ? Object.fromEntries(Object.entries(f.request.query).map(([k, v]) => [k, fill(v)])) : undefined,
      data,
      headers: { 'Access-Token': stand.token.accessToken, ...(data === undefined ? {} : { 'Content-Type': 'application/json' }) },
      responseType: 'text',
      transformResponse: (d) => d,
      transformRequest: [(d) => d],
      validateStatus: () => true,
    });
    if (f.request.fault) {
      stand.emulator.setFaults({});
      await new Promise((resolve) => setTimeout(resolve, 80));
      expect(classifyFailure({ status: r.status, contentType: String(r.headers['content-type']), body: r.data }).code).toBe(f.expect);
      return;
    }
    expect([f.file, r.status >= 200 && r.status < 300]).toEqual([f.file, true]);
    expect(r.headers['x-ejsync-emulator']).toBe('1');
    if (f.schema === 'none') return;
    const parsed = checkShape(schemaOf(f), parseWireJson(r.data), { method: f.request.method, path: f.request.path }) as unknown;
    if (f.file === 'work-created.json') ctx.work = (parsed as { id_str: string }).id_str;
    if (f.schema === 'tokenSchema') refreshToken = (parsed as { refreshToken: string }).refreshToken;
    if (f.list) expect((parsed as unknown[]).length).toBeGreaterThan(0);
  });
});
