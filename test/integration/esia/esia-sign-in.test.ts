import { X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { EsiaClient } from '../../../src/connectors/esia/esia-client';
import { esiaConfigSchema, type EsiaConfig } from '../../../src/config/esia-config';
import { startEsiaEmulator, type EsiaEmulator } from '../../../src/connectors/esia/emulator/esia-emulator';
import { decodeJwt } from '../../../src/connectors/esia/esia-token';
import { OpensslGostSigner, verifyGostSignature } from '../../../src/connectors/esia/signer/openssl-gost-signer';
import { EjsyncError, type Finding } from '../../../src/model';
import { makeGostIdentity, type GostTestIdentity } from '../../helpers/gost-keys';

const REDIRECT = 'http://127.0.0.1:9/auth/esia/callback';
const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'esia');

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
      await expectCode(c.finishSignIn(callback, state), 'esia.token_signature_invalid');
    } finally {
      await other.close();
    }
  });

  it('tokens are GOST R 34.10-2012 signed by default, with the issuer of ЕСИА’s published test-stand tokens', async () => {
    expect(emulator.tokenAlgorithm).toBe('GOST3410_2012_256');
    const published = ['test-stand-2018-rs256-access.jwt', 'test-stand-2020-gost-code.jwt'].map((f) => decodeJwt(readFileSync(path.join(FIXTURES, f), 'utf8').trim()).payload.iss);
    expect(published).toEqual(['http://esia.gosuslugi.ru/', 'http://esia.gosuslugi.ru/']);
    const defaults = await startEsiaEmulator({ systems: [], persons: [] });
    try {
      expect(defaults.issuer).toBe(published[0]);
      expect(defaults.tokenAlgorithm).toBe('GOST3410_2012_256');
    } finally {
      await defaults.close();
    }
    const c = client();
    const { url, state } = await c.authorizationUrl();
    const result = await c.finishSignIn(await loginAs(url, '1000323031'), state);
    for (const token of [result.accessToken, result.idToken!]) {
      const jwt = typeof token === 'string' ? decodeJwt(token) : token;
      expect(jwt.header).toMatchObject({ alg: 'GOST3410_2012_256', typ: 'JWT', ver: 1 });
      expect(jwt.signature).toHaveLength(64);
      expect(jwt.payload.iss).toBe(emulator.issuer);
      // The published certificate verifies the signature exactly as it stands in the token (s‖r).
      expect(await verifyGostSignature(jwt.signingInput, jwt.signature, emulator.verificationCertificatePem)).toBe(true);
    }
  });

  it('the whole sign-in also works with RS256 tokens (the tech portal’s other choice)', async () => {
    const rs = await startEsiaEmulator({
      tokenAlgorithm: 'RS256',
      systems: [{ clientId: 'EJSYNC01', certificatePem: system.certificatePem, redirectUris: [REDIRECT] }],
      persons: [{ oid: '1000323031', lastName: 'Петрова', firstName: 'Анна', birthDate: '1984-03-12', gender: 'F', trusted: true }],
    });
    try {
      const certFile = path.join(dir, 'rs256-emulator.cer');
      writeFileSync(certFile, rs.verificationCertificatePem);
      const c = client({ baseUrl: rs.url, issuer: rs.issuer, verificationCertificateFiles: [certFile] });
      const { url, state } = await c.authorizationUrl();
      const result = await c.finishSignIn(await loginAs(url, '1000323031'), state);
      expect(result.oid).toBe('1000323031');
      expect(decodeJwt(result.accessToken).header.alg).toBe('RS256');
      expect(result.trusted).toBe(true);
    } finally {
      await rs.close();
    }
  });

  describe('a wrong verification certificate is a catalogued error, never OpenSSL’s text', () => {
    const signInWith = async (files: string[], onFinding?: (f: Finding) => void) => {
      const c = new EsiaClient({ config: { ...config, verificationCertificateFiles: files }, signer: new OpensslGostSigner({ keyFile: system.keyFile }), onFinding });
      const { url, state } = await c.authorizationUrl();
      return c.finishSignIn(await loginAs(url, '1000323031'), state);
    };
    const expectCatalogued = async (promise: Promise<unknown>, code: string) => {
      const error = await promise.catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EjsyncError);
      expect((error as EjsyncError).code).toBe(code);
      expect((error as EjsyncError).message).not.toMatch(/openssl|error:|dgst|engine|ERR_|decode/i);
    };

    it('an RSA certificate for GOST tokens is esia.verification_key_mismatch', async () => {
      await expectCatalogued(signInWith([path.join(FIXTURES, 'RSA_PROD-2014-2024.cer')]), 'esia.verification_key_mismatch');
    });

    it('another GOST certificate (ЕСИА’s real test-stand one) is esia.token_signature_invalid', async () => {
      await expectCatalogued(signInWith([path.join(FIXTURES, 'TESIA-GOST-2012-2019-2020.cer')]), 'esia.token_signature_invalid');
    });

    it('a list with nothing readable is esia.verification_keys_missing; one unreadable entry among good ones is only a finding', async () => {
      const garbage = path.join(dir, 'garbage.cer');
      writeFileSync(garbage, 'не сертификат');
      await expectCatalogued(signInWith([garbage, path.join(dir, 'missing.cer')]), 'esia.verification_keys_missing');
      const der = path.join(dir, 'esia-emulator.der');
      writeFileSync(der, new X509Certificate(emulator.verificationCertificatePem).raw);
      const findings: Finding[] = [];
      const result = await signInWith([garbage, der], (f) => findings.push(f));
      expect(result.oid).toBe('1000323031');
      expect(findings.map((f) => f.code)).toEqual(['esia.verification_key_unreadable']);
    });
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
