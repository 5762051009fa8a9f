import axios from 'axios';
import { DnevnikClient, schoolSchema } from '../../../src/connectors/dnevnik';
import { isEjsyncError } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;

async function failure(p: Promise<unknown>) {
  try {
    await p;
  } catch (e) {
    if (isEjsyncError(e)) return e;
    throw e;
  }
  throw new Error('expected a failure');
}

/** A client of its own (its own pause), one attempt per read: every answer is seen. */
const bareClient = (stand: Stand, accessToken: string) => new DnevnikClient({ baseUrl: stand.emulator.apiBase, tokens: { accessToken: async () => accessToken, refresh: async () => accessToken }, readAttempts: 1, rateLimit: { max: 1000, durationMs: 1000 } });

describe('Дневник.ру emulator: limits as the platform answers them, and a log of every request', () => {
  let stand: Stand;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 20, seed: 'limits', emulator: { requestLimit: { max: 3, windowMs: 1000 } } });
  });
  afterAll(() => stand?.emulator.close());
  afterEach(() => stand.emulator.setFaults({}));
  const schoolPath = () => `/schools/${stand.platform.school.sourceId}`;

  it('the per-token request limit answers apiRequestLimit with a whole-second Retry-After', async () => {
    const token = stand.emulator.issueToken().accessToken;
    const client = bareClient(stand, token);
    for (let i = 0; i < 3; i++) await client.get(schoolPath(), schoolSchema);
    const refused = await failure(client.get(schoolPath(), schoolSchema));
    expect(refused.code).toBe('dnevnik.rate_limited');
    expect(refused.waitMs).toBe(1000);
    const logged = stand.emulator.state.requests.filter((r) => r.token === token.slice(0, 8));
    expect(logged.map((r) => [r.status, r.fault ?? null])).toEqual([
      [200, null],
      [200, null],
      [200, null],
      [429, 'request_limit'],
    ]);
    expect(logged[3].retryAfterMs).toBe(1000);
  });

  it('a 429 burst throttles the token for the wait it names: early requests get 429 with the rest of it', async () => {
    const token = stand.emulator.issueToken().accessToken;
    stand.emulator.setFaults({ burst429Rate: 1, retryAfterSeconds: 0.3 });
    expect((await failure(bareClient(stand, token).get(schoolPath(), schoolSchema))).waitMs).toBe(300);
    stand.emulator.setFaults({ retryAfterSeconds: 0.3 });
    // A client that does not know about the wait (a second worker) comes too early.
    const early = await failure(bareClient(stand, token).get(schoolPath(), schoolSchema));
    expect(early.code).toBe('dnevnik.rate_limited');
    expect(early.waitMs).toBeGreaterThan(0);
    expect(early.waitMs).toBeLessThanOrEqual(300);
    // Another token is not throttled.
    await expect(bareClient(stand, stand.emulator.issueToken().accessToken).get(schoolPath(), schoolSchema)).resolves.toMatchObject({ id_str: stand.platform.school.sourceId });
    await new Promise((r) => setTimeout(r, early.waitMs));
    await expect(bareClient(stand, token).get(schoolPath(), schoolSchema)).resolves.toMatchObject({ id_str: stand.platform.school.sourceId });
    const logged = stand.emulator.state.requests.filter((r) => r.token === token.slice(0, 8));
    expect(logged.map((r) => r.fault ?? r.status)).toEqual(['burst_429', 'throttled', 200]);
    expect(logged[2].t - logged[0].t).toBeGreaterThanOrEqual(300);
  });

  it('GET /__emulator/requests lists requests with a token prefix only; DELETE clears the log', async () => {
    const token = stand.emulator.issueToken().accessToken;
    await bareClient(stand, token).get(schoolPath(), schoolSchema);
    const { data } = await axios.get<{ requests: { token: string; path: string; status: number }[]; count: number }>(`${stand.emulator.url}/__emulator/requests`);
    expect(data.count).toBe(stand.emulator.state.requests.length);
    expect(data.requests.at(-1)).toMatchObject({ token: token.slice(0, 8), path: `/v2${schoolPath()}`, status: 200 });
    expect(JSON.stringify(data)).not.toContain(token);
    await axios.delete(`${stand.emulator.url}/__emulator/requests`);
    expect(stand.emulator.state.requests).toHaveLength(0);
  });
});
