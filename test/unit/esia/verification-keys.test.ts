import { createPublicKey, generateKeyPairSync, X509Certificate } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { loadVerificationKeys } from '../../../src/connectors/esia/keys/load-verification-keys';
import { parseVerificationKeys, type ParsedKeys, type VerificationKey } from '../../../src/connectors/esia/keys/verification-key';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'esia');
const fixture = (name: string) => readFileSync(path.join(FIXTURES, name));
const derOfPem = (pem: Buffer) => Buffer.from(pem.toString('latin1').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');

function keysOf(parsed: ParsedKeys): VerificationKey[] {
  if (!parsed.ok) throw new Error(`expected keys, got ${parsed.code}: ${parsed.detail}`);
  return parsed.keys;
}

/** ЕСИА's certificates and keys as they are published (test/fixtures/esia/README.md), in every common form. */
describe('ЕСИА verification keys in any common form', () => {
  const rsaCertPem = fixture('RSA_TESIA-2014-2024.cer');
  const rsaPubPem = fixture('RSA_TESIA-2014-2024.public-key.txt');
  const gostCertPem = fixture('TESIA-GOST-2012-2019-2020.cer');
  const gostPubPem = fixture('TESIA-GOST-2012-2023.public-key.txt');

  it('an RSA certificate as PEM and as DER (how esia.zip ships RSA_TESIA.cer) gives the same RS256 key as the bare public key', () => {
    const [fromPem] = keysOf(parseVerificationKeys(rsaCertPem, 'RSA_TESIA.cer.pem'));
    const [fromDer] = keysOf(parseVerificationKeys(new X509Certificate(rsaCertPem).raw, 'RSA_TESIA.cer'));
    const [bare] = keysOf(parseVerificationKeys(rsaPubPem, 'esia.test.public.key'));
    expect(fromPem).toMatchObject({ algorithm: 'RS256', form: 'certificate-pem' });
    expect(fromPem.certificate).toMatchObject({ serialNumber: '53FDE5C1' });
    expect(fromPem.certificate!.validTo.toISOString()).toBe('2024-08-24T14:05:53.000Z');
    expect(fromDer).toMatchObject({ algorithm: 'RS256', form: 'certificate-der' });
    expect(bare).toMatchObject({ algorithm: 'RS256', form: 'public-key-pem' });
    expect(fromDer.spki.equals(fromPem.spki)).toBe(true);
    expect(bare.spki.equals(fromPem.spki)).toBe(true);
  });

  it('a GOST R 34.10-2012 certificate as PEM and DER, and a bare GOST public key PEM', () => {
    const [fromPem] = keysOf(parseVerificationKeys(gostCertPem, 'TESIA GOST 2012.pem'));
    const [fromDer] = keysOf(parseVerificationKeys(derOfPem(gostCertPem), 'TESIA GOST 2012.cer'));
    const [bare] = keysOf(parseVerificationKeys(gostPubPem, 'esia.gost.test.public.key'));
    expect(fromPem).toMatchObject({ algorithm: 'GOST3410_2012_256', form: 'certificate-pem' });
    expect(fromPem.certificate!.serialNumber).toBe('720B01565000C399E9113EA919767326');
    expect(fromDer).toMatchObject({ algorithm: 'GOST3410_2012_256', form: 'certificate-der' });
    expect(fromDer.spki.equals(fromPem.spki)).toBe(true);
    expect(bare).toMatchObject({ algorithm: 'GOST3410_2012_256', form: 'public-key-pem' });
    expect(bare.publicKeyPem).toBe(gostPubPem.toString('latin1'));
  });

  it('a public key as DER, as PKCS#1 `RSA PUBLIC KEY` and as JWK (esia.zip also has a .jwk)', () => {
    const rsa = createPublicKey(rsaPubPem);
    const [der] = keysOf(parseVerificationKeys(rsa.export({ type: 'spki', format: 'der' }), 'key.der'));
    const [pkcs1] = keysOf(parseVerificationKeys(Buffer.from(rsa.export({ type: 'pkcs1', format: 'pem' })), 'key.pem'));
    const [jwk] = keysOf(parseVerificationKeys(Buffer.from(JSON.stringify(rsa.export({ format: 'jwk' }))), 'RSA_PROD_JWK.jwk'));
    const [set] = keysOf(parseVerificationKeys(Buffer.from(JSON.stringify({ keys: [rsa.export({ format: 'jwk' })] })), 'jwks.json'));
    const [gostDer] = keysOf(parseVerificationKeys(derOfPem(gostPubPem), 'gost.der'));
    for (const k of [der, pkcs1, jwk, set]) expect(k.spki.equals(rsa.export({ type: 'spki', format: 'der' }))).toBe(true);
    expect([der.form, pkcs1.form, jwk.form, set.form]).toEqual(['public-key-der', 'public-key-pem', 'jwk', 'jwk']);
    expect(gostDer).toMatchObject({ algorithm: 'GOST3410_2012_256', form: 'public-key-der' });
  });

  it('a bundle of certificates in one PEM file gives each key, labelled', () => {
    const bundle = Buffer.concat([rsaCertPem, Buffer.from('\n'), gostCertPem]);
    const keys = keysOf(parseVerificationKeys(bundle, 'esia-all.pem'));
    expect(keys.map((k) => [k.source, k.algorithm])).toEqual([
      ['esia-all.pem#1', 'RS256'],
      ['esia-all.pem#2', 'GOST3410_2012_256'],
    ]);
  });

  it.each([
    ['text that is no key', Buffer.from('это не сертификат'), 'esia.verification_key_unreadable', /не сертификат/],
    ['an empty file', Buffer.alloc(0), 'esia.verification_key_unreadable', /пуст/],
    ['our own private key by mistake', Buffer.from(generateKeyPairSync('rsa', { modulusLength: 1024 }).privateKey.export({ type: 'pkcs8', format: 'pem' })), 'esia.verification_key_unreadable', /закрытый ключ/],
    ['a truncated DER certificate', new X509Certificate(rsaCertPem).raw.subarray(0, 300), 'esia.verification_key_unreadable', /не сертификат/],
    ['a damaged PEM certificate', Buffer.from(rsaCertPem.toString('latin1').replace('MIIDVDCCAjyg', 'MIIDVDCCAjyh')), 'esia.verification_key_unreadable', /повреждён/],
    ['an ECDSA key', Buffer.from(generateKeyPairSync('ec', { namedCurve: 'P-256' }).publicKey.export({ type: 'spki', format: 'pem' })), 'esia.verification_key_unsupported', /ECDSA/],
  ])('%s is a coded problem, not an exception', (_what, bytes, code, detail) => {
    const parsed = parseVerificationKeys(bytes, 'bad.cer');
    expect(parsed.ok).toBe(false);
    if (parsed.ok) return;
    expect(parsed.code).toBe(code);
    expect(parsed.detail).toMatch(detail);
  });

  describe('the rotation list', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-esia-keys-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    const file = (name: string, bytes: Buffer) => {
      const f = path.join(dir, name);
      writeFileSync(f, bytes);
      return f;
    };

    it('one unreadable or missing entry is a finding; every other key is used', async () => {
      const list = [
        file('RSA_TESIA.cer', new X509Certificate(rsaCertPem).raw),
        file('broken.cer', Buffer.from('garbage')),
        path.join(dir, 'missing.cer'),
        file('TESIA GOST 2012.pem', gostCertPem),
        file('gost.public.pem', gostPubPem),
      ];
      const { keys, findings } = await loadVerificationKeys(list, new Date('2020-01-01T00:00:00Z'));
      expect(keys.map((k) => path.basename(k.source))).toEqual(['RSA_TESIA.cer', 'TESIA GOST 2012.pem', 'gost.public.pem']);
      expect(findings.map((f) => [f.code, f.severity, path.basename(f.file!)])).toEqual([
        ['esia.verification_key_unreadable', 'warning', 'broken.cer'],
        ['esia.verification_key_unreadable', 'warning', 'missing.cer'],
      ]);
      expect(findings[1].message).toMatch(/missing\.cer: файл не найден/);
    });

    it('an expired certificate is reported and still usable (tokens are checked against the key)', async () => {
      const { keys, findings } = await loadVerificationKeys([file('old-gost.pem', gostCertPem)], new Date('2021-01-01T00:00:00Z'));
      expect(keys).toHaveLength(1);
      expect(findings).toEqual([expect.objectContaining({ code: 'esia.verification_key_expired', severity: 'warning' })]);
      expect(findings[0].message).toContain('действовал до 2020-07-18');
    });
  });
});
