import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PassThrough } from 'node:stream';
import { runEsiaCheck } from '../../../src/cli/commands/esia';
import { EjsyncError } from '../../../src/model';
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
