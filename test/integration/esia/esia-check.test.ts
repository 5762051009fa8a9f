import { execFileSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runEsiaCheck } from '../../../src/cli/commands/esia';
import { esiaConfigSchema, type EsiaConfig } from '../../../src/config/esia-config';
import { startEsiaEmulator, type EsiaEmulator } from '../../../src/connectors/esia/emulator/esia-emulator';
import { EsiaClient } from '../../../src/connectors/esia/esia-client';
import { OpensslGostSigner } from '../../../src/connectors/esia/signer/openssl-gost-signer';
import { EjsyncError, type Finding } from '../../../src/model';
import { makeGostIdentity, type GostTestIdentity } from '../../helpers/gost-keys';

function capture() {
  const stdout = new PassThrough();
  const stderr = new PassThrough();
  let out = '';
  stdout.on('data', (c) => (out += c));
  return { io: { stdout, stderr }, text: () => out };
}

describe('ejsync esia check (offline)', () => {
  let id: GostTestIdentity;
  let dir: string;
  beforeAll(() => {
    id = makeGostIdentity();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-esia-check-'));
  });
  afterAll(() => {
    id.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const write = (name: string, esia: Record<string, unknown>) => {
    const file = path.join(dir, name);
    writeFileSync(file, JSON.stringify({ esia }));
    return file;
  };
  const base = () => ({
    baseUrl: 'https://esia-portal1.test.gosuslugi.ru',
    clientId: 'EJSYNC01',
    redirectUri: 'https://ejsync.example/auth/esia/callback',
    certificateFile: id.certFile,
    signer: { kind: 'openssl', keyFile: id.keyFile },
    verificationCertificateFiles: [id.certFile],
  });

  it('passes with a usable key and certificate, printing the certificate hash', async () => {
    const c = capture();
    expect(await runEsiaCheck({ config: write('ok.json', base()) }, c.io)).toBe(0);
    expect(c.text()).toMatch(/хэш сертификата \(ГОСТ Р 34\.11-2012, 256 бит\): [0-9A-F]{64}/);
    expect(c.text()).toContain('Вход через ЕСИА настроен.');
  });

  it('fails (exit 1) when the signer cannot sign, saying what to fix', async () => {
    const c = capture();
    const file = write('bad-key.json', { ...base(), signer: { kind: 'openssl', keyFile: path.join(dir, 'missing.pem') } });
    expect(await runEsiaCheck({ config: file }, c.io)).toBe(1);
    expect(c.text()).toMatch(/✗ средство подписи \(openssl\): Файл закрытого ключа ЕСИА не найден/);
  });

  it('a malformed configuration names the field', async () => {
    const c = capture();
    const file = write('bad.json', { ...base(), clientId: '' });
    const error = await runEsiaCheck({ config: file }, c.io).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(EjsyncError);
    expect((error as EjsyncError).code).toBe('config.invalid');
    expect((error as EjsyncError).message).toContain('esia.clientId: укажите мнемонику системы');
  });
});

/**
 * `ejsync esia check` and sign-in read ЕСИА's verification keys with the same loader: what the
 * check lists as usable is exactly what verification accepts, and an unreadable entry is a
 * finding for both, not a failure of the list.
 */
describe('ejsync esia check agrees with token verification', () => {
  const REDIRECT = 'http://127.0.0.1:9/auth/esia/callback';
  let id: GostTestIdentity;
  let dir: string;
  let emulator: EsiaEmulator;
  beforeAll(async () => {
    id = makeGostIdentity();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-esia-agree-'));
    emulator = await startEsiaEmulator({
      systems: [{ clientId: 'EJSYNC01', certificatePem: id.certificatePem, redirectUris: [REDIRECT] }],
      persons: [{ oid: '1000323031', lastName: 'Петрова', firstName: 'Анна', birthDate: '1984-03-12', gender: 'F', trusted: true }],
    });
  });
  afterAll(async () => {
    await emulator.close();
    id.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  const file = (name: string, content: string | Buffer) => {
    const f = path.join(dir, name);
    writeFileSync(f, content);
    return f;
  };
  const configWith = (name: string, verificationCertificateFiles: string[]) => {
    const esia = {
      baseUrl: emulator.url,
      issuer: emulator.issuer,
      clientId: 'EJSYNC01',
      redirectUri: REDIRECT,
      certificateFile: id.certFile,
      signer: { kind: 'openssl', keyFile: id.keyFile },
      verificationCertificateFiles,
    };
    return { file: file(name, JSON.stringify({ esia })), esia: esiaConfigSchema.parse(esia) };
  };
  async function signIn(config: EsiaConfig, findings: Finding[]) {
    const client = new EsiaClient({ config, signer: new OpensslGostSigner({ keyFile: id.keyFile }), onFinding: (f) => findings.push(f) });
    const { url, state } = await client.authorizationUrl();
    const html = await (await fetch(url)).text();
    const login = /name="login" value="([^"]+)"/.exec(html)![1];
    const answer = await fetch(new URL('/aas/oauth2/v2/ac/login', url), { method: 'POST', body: new URLSearchParams({ login, oid: '1000323031' }), redirect: 'manual' });
    return client.finishSignIn(new URL(answer.headers.get('location')!), state);
  }

  it('PEM and DER certificates and a bare public key are usable; a broken and a missing entry are findings for both', async () => {
    const pem = emulator.verificationCertificatePem;
    const bare = execFileSync('openssl', ['x509', '-engine', 'gost', '-pubkey', '-noout'], { input: pem, stdio: ['pipe', 'pipe', 'ignore'] }).toString();
    const list = [
      file('esia-gost.cer', new X509Certificate(pem).raw),
      file('broken.cer', 'это не сертификат'),
      path.join(dir, 'missing.pem'),
      file('esia-gost.pem', pem),
      file('esia-gost.public.pem', bare),
    ];
    const { file: configFile, esia } = configWith('mixed.json', list);
    const c = capture();
    expect(await runEsiaCheck({ config: configFile }, c.io)).toBe(0);
    const out = c.text();
    expect(out).toContain(`издатель маркеров ЕСИА (iss): ${emulator.issuer}`);
    expect(out).toMatch(/✓ ключ проверки маркеров ЕСИА \(ГОСТ Р 34\.10-2012, сертификат DER\): .*esia-gost\.cer/);
    expect(out).toMatch(/✓ ключ проверки маркеров ЕСИА \(ГОСТ Р 34\.10-2012, сертификат PEM\): .*esia-gost\.pem/);
    expect(out).toMatch(/✓ ключ проверки маркеров ЕСИА \(ГОСТ Р 34\.10-2012, открытый ключ PEM\): .*esia-gost\.public\.pem/);
    const warned = [...out.matchAll(/^⚠ .*\[(esia\.[a-z_]+)\]/gm)].map((m) => m[1]);
    expect(warned).toEqual(['esia.verification_key_unreadable', 'esia.verification_key_unreadable']);
    expect(out).toContain('Вход через ЕСИА настроен.');

    const findings: Finding[] = [];
    expect((await signIn(esia, findings)).oid).toBe('1000323031');
    expect(findings.map((f) => f.code)).toEqual(warned);
  });

  it('nothing usable: the check fails (exit 1) and sign-in is refused, with the same code', async () => {
    const { file: configFile, esia } = configWith('none.json', [file('only-broken.cer', Buffer.from([0x30, 0x03, 0x02, 0x01]))]);
    const c = capture();
    expect(await runEsiaCheck({ config: configFile }, c.io)).toBe(1);
    expect(c.text()).toMatch(/✗ Нет ни одного пригодного ключа проверки маркеров ЕСИА \[esia\.verification_keys_missing\]/);
    const error = (await signIn(esia, []).catch((e: unknown) => e)) as EjsyncError;
    expect(error.code).toBe('esia.verification_keys_missing');
  });
});

describe('configuration files', () => {
  it('a required configuration that is missing is config.not_found', () => {
    const { loadAppConfig } = jest.requireActual('../../../src/config/app-config') as typeof import('../../../src/config/app-config');
    let error: unknown;
    try {
      loadAppConfig('/nonexistent/ejsync.json', { required: true });
    } catch (e) {
      error = e;
    }
    expect((error as EjsyncError).code).toBe('config.not_found');
  });

  it('a configuration without an esia section is esia.config_invalid for esia commands', async () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-cfg-'));
    try {
      const file = path.join(dir, 'c.json');
      writeFileSync(file, '{}');
      const c = capture();
      const error = (await runEsiaCheck({ config: file }, c.io).catch((e: unknown) => e)) as EjsyncError;
      expect(error.code).toBe('esia.config_invalid');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
