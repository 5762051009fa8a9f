import axios, { type AxiosResponse } from 'axios';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;

const ID_PARAMS = new Set(['s', 'g', 'l', 'p', 'w', 'person', 'work', 'mark', 'lesson']);
/** An id nobody has: well-formed, 64-bit, unknown to the emulated school. */
const UNKNOWN = '999999999999999999';

/** Every error of the emulator is the platform's envelope — exactly `{type, description}` — and says it is the emulator. */
function expectEnvelope(r: AxiosResponse, status: number, type?: string) {
  expect({ url: r.config.url, method: r.config.method, status: r.status }).toEqual({ url: r.config.url, method: r.config.method, status });
  expect(String(r.headers['content-type'])).toMatch(/^application\/json/);
  expect(r.headers['x-ejsync-emulator']).toBe('1');
  const body = JSON.parse(r.data as string) as Record<string, unknown>;
  expect(Object.keys(body).sort()).toEqual(['description', 'type']);
  expect(typeof body.description).toBe('string');
  if (type) expect(body.type).toBe(type);
  else expect(typeof body.type).toBe('string');
}

/** A route's path with every parameter filled: ids by `id`, dates by a day, a mark system by its name. */
const fill = (url: string, id: (name: string) => string) =>
  url.replace(/:(\w+)/g, (_all, name: string) => (ID_PARAMS.has(name) ? id(name) : name === 'from' || name === 'to' ? '2026-11-09' : name === 'type' ? 'mark5' : 'x'));

/** Issue 15 points 5 and 7: every error route of the emulator, walked; ids as the platform would judge them. */
describe('Дневник.ру emulator: every error in the {type, description} envelope, ids judged as the platform would', () => {
  let stand: Stand;
  let api: ReturnType<typeof axios.create>;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 20, seed: 'strict' });
    // Bodies go as they are given (a string unchanged — axios would re-encode broken JSON as a JSON string).
    const raw = (d: unknown) => (typeof d === 'string' || d === undefined ? d : JSON.stringify(d));
    api = axios.create({ baseURL: stand.emulator.url, validateStatus: () => true, responseType: 'text', transformResponse: (d) => d, transformRequest: [raw], headers: { 'Access-Token': stand.token.accessToken, 'Content-Type': 'application/json' } });
  });
  afterAll(() => stand?.emulator.close());
  afterEach(() => stand.emulator.setFaults({}));
  const v2 = () => stand.emulator.routes.filter((r) => r.url.startsWith('/v2/') && r.url !== '/v2/authorizations');
  const body = (url: string) => (url.includes('log-entries') ? { lessonLogEntry: { person: 1, status: 'Absent' } } : url.endsWith('/mark') || url.startsWith('/v2/marks/') ? { mark: { value: '5' } } : url.startsWith('/v2/works') ? { work: {} } : [1]);
  const send = (method: string, path: string, data?: unknown, headers?: Record<string, string>) => api.request({ method, url: path, data, headers, params: path.includes('lesson-log-entries/group') ? { from: '2026-11-09', to: '2026-11-13' } : path.includes('log-entries') && method === 'DELETE' ? { person: UNKNOWN } : undefined });

  it('walks the emulator’s routes: it serves the API, the consent page and the token endpoint', () => {
    const urls = stand.emulator.routes.map((r) => `${r.method} ${r.url}`);
    expect(urls).toEqual(expect.arrayContaining(['GET /oauth2', 'POST /oauth2/consent', 'POST /v2/authorizations', 'POST /v2/users/many', 'GET /v2/marks/values', 'GET /v2/edu-groups/:g/lessons/:from/:to']));
    expect(v2().length).toBeGreaterThanOrEqual(20);
  });

  it('no token: 401 tokenRequired on every API route', async () => {
    for (const r of v2()) expectEnvelope(await send(r.method, fill(r.url, () => UNKNOWN), r.method === 'GET' ? undefined : body(r.url), { 'Access-Token': '' }), 401, 'tokenRequired');
  });

  it('an id that is not a number: 400 parameterInvalid on every route that takes one (never 200 [])', async () => {
    let checked = 0;
    for (const r of v2()) {
      for (const name of [...r.url.matchAll(/:(\w+)/g)].map((m) => m[1]).filter((n) => ID_PARAMS.has(n))) {
        const path = fill(r.url, (n) => (n === name ? 'abc' : UNKNOWN));
        expectEnvelope(await send(r.method, path, r.method === 'GET' ? undefined : body(r.url)), 400, 'parameterInvalid');
        checked++;
      }
    }
    expect(checked).toBeGreaterThanOrEqual(20);
    expectEnvelope(await send('POST', '/v2/edu-groups', ['abc']), 400, 'parameterInvalid');
    expectEnvelope(await send('POST', '/v2/users/many', [1.5]), 400, 'parameterInvalid');
    expectEnvelope(await send('GET', '/v2/edu-groups/1/lessons/вчера/2026-11-13'), 400, 'parameterInvalid');
  });

  it('an id nobody has: 404 apiResourceUnavailable on every route that takes one (never 200 [])', async () => {
    for (const r of v2().filter((x) => /:(s|g|l|p|w|person|work|mark|lesson)\b/.test(x.url))) {
      expectEnvelope(await send(r.method, fill(r.url, () => UNKNOWN), r.method === 'GET' ? undefined : body(r.url)), 404, 'apiResourceUnavailable');
    }
  });

  it('a path the platform does not serve, a body that is not JSON, a content type it does not read', async () => {
    expectEnvelope(await send('GET', '/v2/no-such-resource'), 404, 'apiMethodNotSupported');
    expectEnvelope(await send('POST', '/v2/works', '{"work": ', { 'Content-Type': 'application/json' }), 400, 'invalidRequest');
    expectEnvelope(await send('POST', '/v2/works', '<work/>', { 'Content-Type': 'application/xml' }), 415, 'invalidRequest');
    expectEnvelope(await api.get(`/v2/lesson-log-entries/group/${stand.platform.classes[0].sourceId}`), 400, 'parameterInvalid');
  });

  it('the token endpoint: unknown client, unknown code, unknown refresh token, unknown grant', async () => {
    const token = (data: unknown) => api.post('/v2/authorizations', data, { headers: { 'Content-Type': 'application/json' } });
    expectEnvelope(await token({ grant_type: 'AuthorizationCode', code: 'x', client_id: 'other', client_secret: 'emulator-secret' }), 403, 'invalid_client');
    expectEnvelope(await token({ grant_type: 'AuthorizationCode', code: 'x', client_id: 'ejsync-emulator', client_secret: 'emulator-secret' }), 400, 'invalidRequest');
    expectEnvelope(await token({ grant_type: 'RefreshToken', refreshToken: 'x', client_id: 'ejsync-emulator', client_secret: 'emulator-secret' }), 401, 'authorizationFailed');
    expectEnvelope(await token({ grant_type: 'RefreshToken', refreshToken: 'x', client_id: 'ejsync-emulator', client_secret: 'wrong' }), 403, 'invalid_client');
    expectEnvelope(await token({ grant_type: 'Password' }), 400, 'invalidRequest');
    expectEnvelope(await api.post('/v2/authorizations', '{', { headers: { 'Content-Type': 'application/json' } }), 400, 'invalidRequest');
  });

  it('a narrow token, the request limit and an injected server error answer in the envelope too', async () => {
    const narrow = stand.emulator.issueToken('CommonInfo').accessToken;
    expectEnvelope(await send('GET', `/v2/schools/${stand.platform.school.sourceId}`, undefined, { 'Access-Token': narrow }), 403, 'authorizationOutOfScope');
    stand.emulator.setFaults({ serverErrorRate: 1 });
    expectEnvelope(await send('GET', `/v2/schools/${stand.platform.school.sourceId}`), 500, 'apiServerError');
    stand.emulator.setFaults({ burst429Rate: 1, retryAfterSeconds: 0.05 });
    expectEnvelope(await send('GET', `/v2/schools/${stand.platform.school.sourceId}`), 429, 'apiRequestLimit');
  });
});
