import nock from 'nock';
import { loadDnevnikPlatform } from '../../../src/config/platform-config';
import { DnevnikClient, DnevnikConnector, exchangeCode, refreshTokens, schoolSchema, valueMapsOf } from '../../../src/connectors/dnevnik';
import { targetOf } from '../../../src/queue/dnevnik-connector-factory';
import { linkConfigSchema } from '../../../src/config/link-config';

const API = 'https://api.dnevnik.test/v2';
const app = { apiBase: API, oauthBase: 'https://login.dnevnik.test', clientId: 'partner-app', clientSecret: 'partner-secret' };
const tokenAnswer = { accessToken: 'a2', refreshToken: 'r2', expiresIn: 3600, expiresIn_str: '3600', scope: 'CommonInfo,EducationalInfo', user: 1000000000000012345, user_str: '1000000000000012345' };

beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());
afterEach(() => nock.cleanAll());

describe('Дневник.ру token requests in the shape of the published clients (issue 15 point 5)', () => {
  it('a refresh is a JSON body {client_id, client_secret, grant_type: "RefreshToken", refreshToken}, without Basic auth', async () => {
    let seen: { body: unknown; headers: Record<string, unknown> } | undefined;
    nock(API)
      .post('/authorizations')
      .reply(function (_uri, body) {
        seen = { body, headers: this.req.headers };
        return [200, tokenAnswer, { 'Content-Type': 'application/json' }];
      });
    const stored = await refreshTokens(app, 'r1', new Date('2026-11-09T10:00:00Z'));
    expect(seen!.headers['content-type']).toBe('application/json');
    expect(seen!.headers.authorization).toBeUndefined();
    expect(seen!.body).toEqual({ client_id: 'partner-app', client_secret: 'partner-secret', grant_type: 'RefreshToken', refreshToken: 'r1' });
    expect(stored).toEqual({ accessToken: 'a2', refreshToken: 'r2', expiresAt: '2026-11-09T11:00:00.000Z', userId: '1000000000000012345', scope: 'CommonInfo,EducationalInfo' });
  });

  it('a code is exchanged with the same fields and grant_type "AuthorizationCode"', async () => {
    let body: unknown;
    nock(API)
      .post('/authorizations', (b) => ((body = b), true))
      .reply(200, tokenAnswer);
    await exchangeCode(app, 'c0de');
    expect(body).toEqual({ code: 'c0de', client_id: 'partner-app', client_secret: 'partner-secret', grant_type: 'AuthorizationCode' });
  });
});

describe('whether a run talked to an emulator is what the server says of itself (issue 15 point 7)', () => {
  const config = loadDnevnikPlatform();
  const connector = (baseUrl: string) => {
    const client = new DnevnikClient({ baseUrl, tokens: { accessToken: async () => 't', refresh: async () => 't' }, readAttempts: 1 });
    const c = new DnevnikConnector({
      client,
      baseUrl,
      schoolId: '1000002283077',
      timeZone: 'Asia/Yekaterinburg',
      capabilities: config.capabilities,
      comparableFields: config.comparableFields,
      maps: valueMapsOf(config),
    });
    return { c, client };
  };
  const school = { id: 1000002283077, id_str: '1000002283077', name: 'Школа № 1' };

  it('a server that says X-Ejsync-Emulator: 1 is an emulator, whatever host it has', async () => {
    const { c, client } = connector(API);
    expect(c.environment).toBe('live');
    nock(API).get('/schools/1000002283077').reply(200, school, { 'Content-Type': 'application/json', 'X-Ejsync-Emulator': '1' });
    await client.get('/schools/1000002283077', schoolSchema);
    expect(c.environment).toBe('emulator');
  });

  it('a loopback server that does not announce itself is the live platform (a tunnel, a proxy), and so is a link of the emulator installation', async () => {
    const loopback = 'http://127.0.0.1:18787/v2';
    const { c, client } = connector(loopback);
    nock(loopback).get('/schools/1000002283077').reply(200, school, { 'Content-Type': 'application/json' });
    await client.get('/schools/1000002283077', schoolSchema);
    expect(c.environment).toBe('live');
    const link = linkConfigSchema.parse({ id: 'l', name: 'l', school: { sourceId: 's', timeZone: 'Asia/Yekaterinburg' }, source: { path: '/x' }, target: { installation: 'emulator', schoolId: '1', baseUrl: loopback } });
    expect(targetOf(link, config)).toEqual({ environment: 'live', apiBase: loopback });
  });
});
