import nock from 'nock';
import { DnevnikClient, int64Array, type AccessTokenSource } from '../../../src/connectors/dnevnik';
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
    const school = await client(tokens().source).get<{ id: number; id_str: string }>('/schools/1000002283077000001');
    expect(school.id_str).toBe('1000002283077000001');
    expect(String(school.id)).not.toBe(school.id_str); // the number twin is rounded: never use it
  });

  it('sends id arrays as exact 64-bit numbers', async () => {
    const scope = nock(BASE).post('/edu-groups').reply(200, '[]', { 'Content-Type': 'application/json' });
    await client(tokens().source).readByPost('/edu-groups', int64Array(['1000002283077000011', '1000002283077000012']));
    expect(scope.isDone()).toBe(true);
    // JSON.stringify of numbers would round them; the raw text keeps every digit.
    expect(int64Array(['1000002283077000011', '1000002283077000012']).text).toBe('[1000002283077000011,1000002283077000012]');
    expect(() => int64Array(['12a'])).toThrow(RangeError);
  });

  it('on invalidToken refreshes once and repeats with the new token', async () => {
    const t = tokens();
    nock(BASE, { reqheaders: { 'access-token': 'tok-1' } }).get('/users/me/context').reply(401, { type: 'invalidToken', description: 'Токен недействителен' });
    nock(BASE, { reqheaders: { 'access-token': 'tok-2' } }).get('/users/me/context').reply(200, { userId_str: '1' });
    await expect(client(t.source).get('/users/me/context')).resolves.toEqual({ userId_str: '1' });
    expect(t.refreshed).toEqual(['tok-1']);
  });

  it('a second invalidToken after the refresh is "reconnect needed", not a loop', async () => {
    const t = tokens();
    nock(BASE).get('/users/me/context').times(2).reply(401, { type: 'invalidToken', description: '…' });
    const e = await failure(client(t.source).get('/users/me/context'));
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
    const refused = await failure(c.get('/schools/1'));
    expect(refused.code).toBe('dnevnik.rate_limited');
    const started = Date.now();
    await c.get('/schools/1/subjects');
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
    await expect(client(tokens().source).get('/schools/1/subjects')).resolves.toEqual([]);
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
    expect((await failure(client(tokens().source).get('/schools/1'))).code).toBe('dnevnik.unexpected_response');
  });
});
