import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import nock from 'nock';
import { z } from 'zod';
import { DnevnikClient, groupStudentsSchema, int64Array, listOf, schoolSchema, subjectSchema, type AccessTokenSource } from '../../../src/connectors/dnevnik';
import { DEFAULT_THROTTLE_WAIT_MS, isEjsyncError } from '../../../src/model';

const BASE = 'https://api.dnevnik.test/v2';

function tokens(initial = 'tok-1', next = 'tok-2') {
  let current = initial;
  const refreshed: string[] = [];
  const source: AccessTokenSource = {
    accessToken: async () => current,
    refresh: async (rejected) => {
      refreshed.push(rejected);
      current = next;
      return current;
    },
  };
  return { source, refreshed };
}

const client = (t: AccessTokenSource) => new DnevnikClient({ baseUrl: BASE, tokens: t, rateLimit: { max: 1000, durationMs: 1000 }, readAttempts: 2, timeoutMs: 300 });

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isEjsyncError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

afterEach(() => {
  nock.cleanAll();
});
beforeAll(() => nock.disableNetConnect());
afterAll(() => nock.enableNetConnect());

describe('DnevnikClient (nock)', () => {
  it('sends the token in Access-Token and reads *_str ids', async () => {
    nock(BASE, { reqheaders: { 'access-token': 'tok-1' } })
      .get('/schools/1000002283077000001')
      .reply(200, '{"id":1000002283077000001,"id_str":"1000002283077000001","name":"Школа"}', { 'Content-Type': 'application/json' });
    const school = await client(tokens().source).get('/schools/1000002283077000001', schoolSchema);
    expect(school.id_str).toBe('1000002283077000001');
    // Parsed losslessly: even the number keeps every digit (JSON.parse would give 1000002283077000000).
    expect(school.id).toBe('1000002283077000001');
  });

  it('reads an id exactly from the number alone when the platform sends no twin', async () => {
    nock(BASE).get('/schools/1000002283077000003').reply(200, '{"id":1000002283077000003,"name":"Школа"}', { 'Content-Type': 'application/json' });
    expect((await client(tokens().source).get('/schools/1000002283077000003', schoolSchema)).id_str).toBe('1000002283077000003');
  });

  it('sends ids in bodies as exact 64-bit numbers, taken from the twins', async () => {
    // A real socket: nock hands bodies over JSON.parse'd, which would round the very digits checked here.
    let raw = '';
    const server = createServer((req, res) => {
      req.on('data', (chunk: Buffer) => (raw += chunk.toString()));
      req.on('end', () => res.writeHead(204).end());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    nock.enableNetConnect('127.0.0.1');
    try {
      const c = new DnevnikClient({ baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`, tokens: tokens().source, rateLimit: { max: 1000, durationMs: 1000 } });
      await c.post('/works', { work: { workType: 0, workType_str: '1000000000000000001', lesson: 0, lesson_str: '1000002283077000077', text: 'Диктант' } });
    } finally {
      nock.disableNetConnect();
      await new Promise((resolve) => server.close(resolve));
    }
    expect(raw).toContain('"workType":1000000000000000001');
    expect(raw).toContain('"lesson":1000002283077000077');
    expect(raw).toContain('"text":"Диктант"');
  });

  it('sends id arrays as exact 64-bit numbers', async () => {
    const scope = nock(BASE).post('/edu-groups').reply(200, '[]', { 'Content-Type': 'application/json' });
    await client(tokens().source).readByPost('/edu-groups', int64Array(['1000002283077000011', '1000002283077000012']), listOf(groupStudentsSchema));
    expect(scope.isDone()).toBe(true);
    // JSON.stringify of numbers would round them; the raw text keeps every digit.
    expect(int64Array(['1000002283077000011', '1000002283077000012']).text).toBe('[1000002283077000011,1000002283077000012]');
    expect(() => int64Array(['12a'])).toThrow(RangeError);
  });

  it('on invalidToken refreshes once and repeats with the new token', async () => {
    const t = tokens();
    nock(BASE, { reqheaders: { 'access-token': 'tok-1' } }).get('/users/me/context').reply(401, { type: 'invalidToken', description: 'Токен недействителен' });
    nock(BASE, { reqheaders: { 'access-token': 'tok-2' } }).get('/users/me/context').reply(200, { userId_str: '1' });
    await expect(client(t.source).get('/users/me/context', z.unknown())).resolves.toEqual({ userId_str: '1' });
    expect(t.refreshed).toEqual(['tok-1']);
  });

  it('a second invalidToken after the refresh is "reconnect needed", not a loop', async () => {
    const t = tokens();
    nock(BASE).get('/users/me/context').times(2).reply(401, { type: 'invalidToken', description: '…' });
    const e = await failure(client(t.source).get('/users/me/context', z.unknown()));
    expect(e.code).toBe('dnevnik.reconnect_needed');
    expect(t.refreshed).toHaveLength(1);
  });

  it('an HTML maintenance page is classified by content type, not parsed as JSON', async () => {
    nock(BASE).post('/works').reply(503, '<html><div class="error__description"><p>Технические работы</p></div></html>', { 'Content-Type': 'text/html' });
    const e = await failure(client(tokens().source).post('/works', { work: {} }));
    expect(e.code).toBe('dnevnik.maintenance');
    expect(e.retryable).toBe(true);
    expect(e.message).toContain('POST /works');
  });

  it('a 429 with Retry-After carries the wait; writes are not retried by the client', async () => {
    const scope = nock(BASE).post('/works').reply(429, { type: 'apiRequestLimit', description: 'Превышен лимит' }, { 'Retry-After': '3' });
    const e = await failure(client(tokens().source).post('/works', {}));
    expect(e.code).toBe('dnevnik.rate_limited');
    expect(e.waitMs).toBe(3000);
    expect(scope.isDone()).toBe(true);
  });

  it('a named wait holds every later request of the client, not only the refused one', async () => {
    const c = new DnevnikClient({ baseUrl: BASE, tokens: tokens().source, rateLimit: { max: 1000, durationMs: 1000 }, readAttempts: 1 });
    nock(BASE).get('/schools/1').reply(429, { type: 'apiRequestLimit', description: 'Превышен лимит' }, { 'Retry-After': '0.3' });
    nock(BASE).get('/schools/1/subjects').reply(200, [], { 'Content-Type': 'application/json' });
    const refused = await failure(c.get('/schools/1', schoolSchema));
    expect(refused.code).toBe('dnevnik.rate_limited');
    const started = Date.now();
    await c.get('/schools/1/subjects', listOf(subjectSchema));
    expect(Date.now() - started).toBeGreaterThanOrEqual(290);
  });

  it('a 429 that names no wait holds the token for the default wait (its other requests would meet 429s too)', async () => {
    const c = new DnevnikClient({ baseUrl: BASE, tokens: tokens().source, rateLimit: { max: 10, durationMs: 1000 }, readAttempts: 1 });
    expect(await c.stepAsideMs()).toBe(0);
    nock(BASE).post('/works').reply(429, { type: 'apiRequestLimit', description: 'Превышен лимит' });
    expect((await failure(c.post('/works', {}))).waitMs).toBe(DEFAULT_THROTTLE_WAIT_MS);
    const held = await c.stepAsideMs();
    expect(held).toBeGreaterThan(DEFAULT_THROTTLE_WAIT_MS - 500);
    expect(held).toBeLessThanOrEqual(DEFAULT_THROTTLE_WAIT_MS);
    // Deliveries stepping aside come back one interval (1000 ms / 10) apart, not all at once.
    expect(await c.stepAsideMs()).toBeGreaterThan(held + 50);
  });

  it('reads retry transient failures (5xx) and then succeed', async () => {
    nock(BASE).get('/schools/1/subjects').reply(500, { type: 'apiServerError', description: '…' });
    nock(BASE).get('/schools/1/subjects').reply(200, [], { 'Content-Type': 'application/json' });
    await expect(client(tokens().source).get('/schools/1/subjects', listOf(subjectSchema))).resolves.toEqual([]);
  });

  it('a timeout is dnevnik.timeout', async () => {
    nock(BASE).post('/works').delay(1000).reply(201, {});
    expect((await failure(client(tokens().source).post('/works', {}))).code).toBe('dnevnik.timeout');
    nock.abortPendingRequests();
  });

  it('a reset connection is dnevnik.connection_failed', async () => {
    nock(BASE).post('/works').replyWithError('socket hang up');
    expect((await failure(client(tokens().source).post('/works', {}))).code).toBe('dnevnik.connection_failed');
  });

  it('a refused write (ownerForbidden) is dnevnik.forbidden: final, and no token refresh', async () => {
    const t = tokens();
    nock(BASE).post('/lessons/1/log-entries').reply(403, { type: 'authorizationOwnerForbidden', description: 'Нет прав на изменение журнала' });
    const e = await failure(client(t.source).post('/lessons/1/log-entries', {}));
    expect(e.code).toBe('dnevnik.forbidden');
    expect(e.retryable).toBe(false);
    expect(e.message).toContain('Нет прав на изменение журнала');
    expect(t.refreshed).toEqual([]);
  });

  it('a 2xx that is not JSON is an unexpected response', async () => {
    nock(BASE).get('/schools/1').reply(200, '<html>login</html>', { 'Content-Type': 'text/html' });
    expect((await failure(client(tokens().source).get('/schools/1', schoolSchema))).code).toBe('dnevnik.unexpected_response');
  });
});
