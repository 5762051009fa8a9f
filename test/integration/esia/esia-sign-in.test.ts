import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EsiaClient } from '../../../src/connectors/esia/esia-client';
import { esiaConfigSchema, type EsiaConfig } from '../../../src/config/esia-config';
import { startEsiaEmulator, type EsiaEmulator } from '../../../src/connectors/esia/emulator/esia-emulator';
import { OpensslGostSigner } from '../../../src/connectors/esia/signer/openssl-gost-signer';
import { EjsyncError } from '../../../src/model';
import { makeGostIdentity, type GostTestIdentity } from '../../helpers/gost-keys';

const REDIRECT = 'http://127.0.0.1:9/auth/esia/callback';

describe('ЕСИА sign-in against the emulator (real GOST signatures)', () => {
  let system: GostTestIdentity;
  let stranger: GostTestIdentity;
  let emulator: EsiaEmulator;
  let dir: string;
  let config: EsiaConfig;
  /** The emulator's clock runs this many ms ahead of the real one. */
  let emulatorSkewMs = 0;

  beforeAll(async () => {
    system = makeGostIdentity('ejsync IS');
    stranger = makeGostIdentity('not registered');
    emulator = await startEsiaEmulator({
      now: () => new Date(Date.now() + emulatorSkewMs),
      systems: [{ clientId: 'EJSYNC01', certificatePem: system.certificatePem, redirectUris: [REDIRECT] }],
      persons: [
        { oid: '1000323031', lastName: 'Петрова', firstName: 'Анна', middleName: 'Сергеевна', birthDate: '1984-03-12', gender: 'F', snils: '11223344595', trusted: true, kids: ['1000400001'] },
        { oid: '1000400001', lastName: 'Петров', firstName: 'Илья', birthDate: '2014-05-01', gender: 'M', trusted: true },
        { oid: '1000555555', lastName: 'Сидоров', firstName: 'Олег', birthDate: '1990-01-01', gender: 'M', trusted: false },
      ],
    });
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-esia-'));
    const keyFile = path.join(dir, 'esia-verification.pem');
    writeFileSync(keyFile, emulator.verificationKeyPem);
    config = esiaConfigSchema.parse({
      baseUrl: emulator.url,
      issuer: emulator.issuer,
      clientId: 'EJSYNC01',
      redirectUri: REDIRECT,
      certificateFile: system.certFile,
      signer: { kind: 'openssl', keyFile: system.keyFile },
      verificationCertificateFiles: [keyFile],
    });
  });

  afterAll(async () => {
    await emulator.close();
    system.cleanup();
    stranger.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const client = (overrides: Partial<EsiaConfig> = {}, now?: () => Date) =>
    new EsiaClient({ config: { ...config, ...overrides }, signer: new OpensslGostSigner({ keyFile: (overrides.certificateFile === stranger.certFile ? stranger : system).keyFile }), now });

  /** Plays the person at the emulator's login page; returns the callback URL ЕСИА redirects to. */
  async function loginAs(authorizationUrl: string, oid: string | 'cancel'): Promise<URL> {
    const page = await fetch(authorizationUrl, { redirect: 'manual' });
    if (page.status === 302) return new URL(page.headers.get('location')!);
    const html = await page.text();
    const login = /name="login" value="([^"]+)"/.exec(html)![1];
    const body = new URLSearchParams(oid === 'cancel' ? { login, cancel: '1' } : { login, oid });
    const answer = await fetch(new URL('/aas/oauth2/v2/ac/login', authorizationUrl), { method: 'POST', body, redirect: 'manual' });
    expect(answer.status).toBe(302);
    return new URL(answer.headers.get('location')!);
  }

  async function expectCode(promise: Promise<unknown>, code: string) {
    const error = await promise.then(
      () => null,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(EjsyncError);
    expect((error as EjsyncError).code).toBe(code);
    expect((error as EjsyncError).message).toMatch(/[А-Яа-я]/);
  }

  it('signs in: oid from the token, trusted flag from the ID token, the emulator says what it is', async () => {
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const u = new URL(url);
    expect(u.pathname).toBe('/aas/oauth2/v2/ac');
    expect(u.searchParams.get('client_secret')).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(u.searchParams.get('client_certificate_hash')).toMatch(/^[0-9A-F]{64}$/);
    expect(u.searchParams.get('timestamp')).toMatch(/^\d{4}\.\d{2}\.\d{2} \d{2}:\d{2}:\d{2} [+-]\d{4}$/);
    const page = await fetch(url);
    expect(page.headers.get('x-ejsync-emulator')).toBe('esia');
    const callback = await loginAs(url, '1000323031');
    const result = await c.finishSignIn(callback, state);
    expect(result.oid).toBe('1000323031');
    expect(result.trusted).toBe(true);
    expect(result.scopes).toEqual(expect.arrayContaining(['openid', 'fullname', 'snils']));
    const refreshed = await c.refresh(result.refreshToken!);
    expect(refreshed.oid).toBe('1000323031');
  });

  it('a tampered state in the callback is refused', async () => {
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const callback = await loginAs(url, '1000323031');
    callback.searchParams.set('state', '00000000-0000-4000-8000-000000000000');
    await expectCode(c.finishSignIn(callback, state), 'esia.state_mismatch');
  });

  it('a replayed code is refused (ESIA-007011)', async () => {
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const callback = await loginAs(url, '1000323031');
    await c.finishSignIn(callback, state);
    await expectCode(c.finishSignIn(callback, state), 'esia.invalid_grant');
  });

  it('an expired code is refused (ESIA-007011)', async () => {
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const callback = await loginAs(url, '1000323031');
    emulatorSkewMs = 120_000;
    try {
      const late = client({}, () => new Date(Date.now() + 120_000));
      await expectCode(late.finishSignIn(callback, state), 'esia.invalid_grant');
    } finally {
      emulatorSkewMs = 0;
    }
  });

  it('a wrong certificate hash / signature is refused (ESIA-007053)', async () => {
    const c = client({ certificateFile: stranger.certFile });
    const { url } = await c.authorizationUrl();
    const callback = await loginAs(url, '1000323031');
    expect(callback.searchParams.get('error_description')).toMatch(/^ESIA-007053/);
    await expectCode(c.finishSignIn(callback, callback.searchParams.get('state')!), 'esia.client_secret_wrong');
  });

  it('clock skew is refused (ESIA-007015)', async () => {
    const c = client({}, () => new Date(Date.now() + 3_600_000));
    const { url, state } = await c.authorizationUrl();
    const callback = await loginAs(url, '1000323031');
    await expectCode(c.finishSignIn(callback, state), 'esia.clock_skew');
  });

  it('an unconfirmed account is refused (ESIA-007055)', async () => {
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const callback = await loginAs(url, '1000555555');
    await expectCode(c.finishSignIn(callback, state), 'esia.unconfirmed_account');
  });

  it('a missing parameter is named (ESIA-007014)', async () => {
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const u = new URL(url);
    u.searchParams.delete('client_certificate_hash');
    const callback = await loginAs(u.href, '1000323031');
    expect(callback.searchParams.get('error_description')).toContain('[client_certificate_hash]');
    await expectCode(c.finishSignIn(callback, state), 'esia.missing_parameter');
  });

  it('cancel at ЕСИА is reported as access denied (ESIA-007004)', async () => {
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const callback = await loginAs(url, 'cancel');
    await expectCode(c.finishSignIn(callback, state), 'esia.access_denied');
  });

  it('a token from another key does not verify', async () => {
    const other = await startEsiaEmulator({
      systems: [{ clientId: 'EJSYNC01', certificatePem: system.certificatePem, redirectUris: [REDIRECT] }],
      persons: [{ oid: '1000323031', lastName: 'Петрова', firstName: 'Анна', birthDate: '1984-03-12', gender: 'F', trusted: true }],
      issuer: emulator.issuer,
    });
    try {
      const c = client({ baseUrl: other.url });
      const { url, state } = await c.authorizationUrl();
      const callback = await loginAs(url.replace(emulator.url, other.url), '1000323031');
      await expectCode(c.finishSignIn(callback, state), 'esia.token_invalid');
    } finally {
      await other.close();
    }
  });
});

describe('ЕСИА client failures outside ЕСИА', () => {
  let system: GostTestIdentity;
  beforeAll(() => {
    system = makeGostIdentity();
  });
  afterAll(() => system.cleanup());

  const config = (baseUrl: string): EsiaConfig =>
    esiaConfigSchema.parse({
      baseUrl,
      clientId: 'EJSYNC01',
      redirectUri: REDIRECT,
      certificateFile: system.certFile,
      signer: { kind: 'openssl', keyFile: system.keyFile },
      verificationCertificateFiles: [system.certFile],
    });

  it('an unreachable ЕСИА is esia.unreachable (retryable)', async () => {
    const emulator = await startEsiaEmulator({ systems: [], persons: [] });
    const url = emulator.url;
    await emulator.close();
    const c = new EsiaClient({ config: config(url), signer: new OpensslGostSigner({ keyFile: system.keyFile }) });
    const callback = new URL(`${REDIRECT}?code=abc&state=s1`);
    const error = (await c.finishSignIn(callback, 's1').catch((e: unknown) => e)) as EjsyncError;
    expect(error.code).toBe('esia.unreachable');
    expect(error.retryable).toBe(true);
  });

  it('a signer that fails is esia.signer_failed', async () => {
    const signer = { kind: 'remote', sign: async () => Promise.reject(new Error('сервис подписи недоступен')), check: async () => {} };
    const c = new EsiaClient({ config: config('http://127.0.0.1:9'), signer });
    const error = (await c.authorizationUrl().catch((e: unknown) => e)) as EjsyncError;
    expect(error.code).toBe('esia.signer_failed');
  });

  it('an unknown system is refused by the emulator (ESIA-007005)', async () => {
    const emulator = await startEsiaEmulator({ systems: [], persons: [] });
    try {
      const c = new EsiaClient({ config: config(emulator.url), signer: new OpensslGostSigner({ keyFile: system.keyFile }) });
      const { url } = await c.authorizationUrl();
      const page = await fetch(url, { redirect: 'manual' });
      expect(page.status).toBe(400);
      expect(await page.text()).toContain('ESIA-007005');
    } finally {
      await emulator.close();
    }
  });
});
