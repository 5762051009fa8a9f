import axios from 'axios';
import { authorizeUrl, DnevnikTokenVault, exchangeCode, type OAuthClient, type SecretSlot } from '../../../src/connectors/dnevnik';
import { consentAs } from '../../../src/connectors/dnevnik/emulator';
import { isEjsyncError } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;
const REGISTERED = 'https://ejsync.example.org/dnevnik/callback';

/** Issue 15 points 5 and 7: OAuth as a person meets it — a consent page, a checked redirect address, rotating refresh. */
describe('Дневник.ру emulator OAuth: consent, registered redirect_uri, refresh in the published shape', () => {
  let stand: Stand;
  let app: OAuthClient;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 10, seed: 'oauth', emulator: { redirectUris: [REGISTERED] } });
    app = { apiBase: stand.emulator.apiBase, oauthBase: stand.emulator.url, clientId: 'ejsync-emulator', clientSecret: 'emulator-secret' };
  });
  afterAll(() => stand?.emulator.close());
  const page = (url: string) => axios.get<string>(url, { maxRedirects: 0, validateStatus: () => true, responseType: 'text' });

  it('an unregistered redirect_uri gets an error page and nobody is sent there; an unknown app likewise', async () => {
    const evil = await page(authorizeUrl(app, ['EducationalInfo'], 'https://evil.example.org/steal', 's1'));
    expect(evil.status).toBe(400);
    expect(evil.headers.location).toBeUndefined();
    expect(evil.data).toContain('redirect_uri');
    const other = await page(authorizeUrl({ ...app, clientId: 'someone-else' }, ['EducationalInfo'], REGISTERED, 's1'));
    expect([other.status, other.headers.location]).toEqual([400, undefined]);
  });

  it('the authorize page asks the person first: no code before «Разрешить»', async () => {
    const ask = await page(authorizeUrl(app, ['CommonInfo', 'EducationalInfo'], REGISTERED, 's2'));
    expect(ask.status).toBe(200);
    expect(ask.headers.location).toBeUndefined();
    expect(ask.data).toContain('Разрешить');
    expect(ask.data).toContain('EducationalInfo');
    expect(ask.headers['x-ejsync-emulator']).toBe('1');
  });

  it('«Отказать» sends the person back with error=access_denied; «Разрешить» with a code that gives a token once', async () => {
    const denied = new URL(await consentAs(authorizeUrl(app, ['EducationalInfo'], REGISTERED, 's3'), 'deny'));
    expect([denied.origin + denied.pathname, denied.searchParams.get('error'), denied.searchParams.get('state'), denied.searchParams.get('code')]).toEqual([REGISTERED, 'access_denied', 's3', null]);
    const back = new URL(await consentAs(authorizeUrl(app, ['CommonInfo', 'EducationalInfo'], REGISTERED, 's4')));
    expect(back.origin + back.pathname).toBe(REGISTERED);
    expect(back.searchParams.get('state')).toBe('s4');
    const token = await exchangeCode(app, back.searchParams.get('code')!);
    expect(token.scope).toBe('CommonInfo,EducationalInfo');
    await expect(exchangeCode(app, back.searchParams.get('code')!)).rejects.toMatchObject({ code: 'dnevnik.reconnect_needed' });
  });

  it('the vault refreshes in the published shape; the rotated refresh token cannot be spent twice', async () => {
    const back = new URL(await consentAs(authorizeUrl(app, ['CommonInfo', 'EducationalInfo'], REGISTERED, 's5')));
    const first = await exchangeCode(app, back.searchParams.get('code')!);
    let stored: string | null = JSON.stringify(first);
    const slot: SecretSlot = { get: async () => stored, update: async (change) => (stored = await change(stored)) };
    const vault = new DnevnikTokenVault(app, slot);
    const fresh = await vault.refresh(first.accessToken);
    expect(fresh).not.toBe(first.accessToken);
    const school = await axios.get(`${stand.emulator.apiBase}/schools/${stand.platform.school.sourceId}`, { headers: { 'Access-Token': fresh } });
    expect(school.status).toBe(200);
    const old = await axios.get(`${stand.emulator.apiBase}/schools/${stand.platform.school.sourceId}`, { headers: { 'Access-Token': first.accessToken }, validateStatus: () => true });
    expect([old.status, old.data.type]).toEqual([401, 'invalidToken']);
    // The old refresh token was rotated away.
    stored = JSON.stringify(first);
    const refused = await vault.refresh(first.accessToken).catch((e: unknown) => e);
    expect(isEjsyncError(refused) && refused.code).toBe('dnevnik.reconnect_needed');
  });
});
