import { readFileSync } from 'node:fs';
import path from 'node:path';
import { esiaConfigSchema } from '../../../src/config/esia-config';
import { decodeJwt, oidFromAccessToken, verifyEsiaToken, verifyJwtSignature } from '../../../src/connectors/esia/esia-token';
import { parseVerificationKeys, type VerificationKey } from '../../../src/connectors/esia/keys/verification-key';
import { EjsyncError } from '../../../src/model';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'esia');
const text = (name: string) => readFileSync(path.join(FIXTURES, name), 'utf8').trim();
const derOfPem = (pem: string) => Buffer.from(pem.replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
function keys(name: string, bytes: Buffer = readFileSync(path.join(FIXTURES, name))): VerificationKey[] {
  const parsed = parseVerificationKeys(bytes, name);
  if (!parsed.ok) throw new Error(parsed.detail);
  return parsed.keys;
}
const issuedAt = (token: string) => new Date(Number(decodeJwt(token).payload.iat) * 1000);

async function codeOf(promise: Promise<unknown>): Promise<string> {
  const error = await promise.then(
    () => null,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(EjsyncError);
  // Catalogued and Russian, never OpenSSL's or Node's own text.
  expect((error as EjsyncError).message).toMatch(/[А-Яа-я]/);
  expect((error as EjsyncError).message).not.toMatch(/openssl|error:|dgst|engine|ERR_/i);
  return (error as EjsyncError).code;
}

/**
 * Tokens the ЕСИА test stand really issued, verified with the certificates and keys ЕСИА really
 * published, at the moment they were issued (the clock is injected). Sources: test/fixtures/esia/README.md.
 */
describe('real ЕСИА test-stand tokens with ЕСИА’s published keys', () => {
  const rsa2018 = text('test-stand-2018-rs256-access.jwt');
  const rsa2023 = text('test-stand-2023-rs256-access.jwt');
  const gost2023 = text('test-stand-2023-gost-access.jwt');
  const gost2020 = text('test-stand-2020-gost-code.jwt');
  const rsaTesiaPem = text('RSA_TESIA-2014-2024.cer');

  describe('RS256', () => {
    it('the 2018 test-stand access token verifies with RSA_TESIA.cer (PEM, DER, bare key) at its issue time', async () => {
      for (const list of [keys('RSA_TESIA.cer.pem', Buffer.from(rsaTesiaPem)), keys('RSA_TESIA.cer', derOfPem(rsaTesiaPem)), keys('RSA_TESIA-2014-2024.public-key.txt')]) {
        const jwt = await verifyEsiaToken(rsa2018, { keys: list, issuer: 'http://esia.gosuslugi.ru/', clientId: 'EKAP01', kind: 'access', now: issuedAt(rsa2018) });
        expect(jwt.header).toMatchObject({ alg: 'RS256', sbt: 'access', ver: 1 });
        expect(oidFromAccessToken(jwt)).toBe('1000299681');
      }
    });

    it('its issuer is http://esia.gosuslugi.ru/ — what the configuration expects by default', () => {
      expect(decodeJwt(rsa2018).payload.iss).toBe('http://esia.gosuslugi.ru/');
      const config = esiaConfigSchema.parse({
        baseUrl: 'https://esia.gosuslugi.ru',
        clientId: 'EKAP01',
        redirectUri: 'https://school.example/auth/esia/callback',
        certificateFile: 'is.cer',
        signer: { kind: 'remote', url: 'https://signer.example/sign' },
        verificationCertificateFiles: ['RSA_TESIA.cer'],
      });
      expect(config.issuer).toBe(decodeJwt(rsa2018).payload.iss);
    });

    it('an hour and a minute later the same token has expired (the clock matters)', async () => {
      const later = new Date(issuedAt(rsa2018).getTime() + 3661_000);
      const check = { keys: keys('RSA_TESIA-2014-2024.public-key.txt'), issuer: 'http://esia.gosuslugi.ru/', clientId: 'EKAP01', kind: 'access' as const, now: later };
      expect(await codeOf(verifyEsiaToken(rsa2018, check))).toBe('esia.token_invalid');
    });

    it('the production certificate does not verify a test-stand token: esia.token_signature_invalid', async () => {
      const check = { keys: keys('RSA_PROD-2014-2024.cer'), issuer: 'http://esia.gosuslugi.ru/', clientId: 'EKAP01', kind: 'access' as const, now: issuedAt(rsa2018) };
      expect(await codeOf(verifyEsiaToken(rsa2018, check))).toBe('esia.token_signature_invalid');
    });

    it('the 2023 test-stand token carries the test stand’s own issuer, the default for a test-stand baseUrl', async () => {
      const iss = decodeJwt(rsa2023).payload.iss;
      expect(iss).toBe('http://esia-portal1.test.gosuslugi.ru/');
      const config = esiaConfigSchema.parse({
        baseUrl: 'https://esia-portal1.test.gosuslugi.ru',
        clientId: 'PGU',
        redirectUri: 'https://school.example/auth/esia/callback',
        certificateFile: 'is.cer',
        signer: { kind: 'remote', url: 'https://signer.example/sign' },
        verificationCertificateFiles: ['RSA_TESIA.cer'],
      });
      expect(config.issuer).toBe(iss);
      const jwt = await verifyEsiaToken(rsa2023, { keys: keys('RSA_TESIA-2014-2024.cer'), issuer: config.issuer, clientId: 'PGU', kind: 'access', now: issuedAt(rsa2023) });
      expect(oidFromAccessToken(jwt)).toBe('1000733068');
    });
  });

  describe('GOST R 34.10-2012', () => {
    it('the 2023 test-stand access token verifies with the published bare GOST key at its issue time', async () => {
      const jwt = await verifyEsiaToken(gost2023, {
        keys: keys('TESIA-GOST-2012-2023.public-key.txt'),
        issuer: 'http://esia-portal1.test.gosuslugi.ru/',
        clientId: 'CTPRF_RU',
        kind: 'access',
        now: issuedAt(gost2023),
      });
      expect(jwt.header).toMatchObject({ alg: 'GOST3410_2012_256', sbt: 'access' });
      expect(jwt.signature).toHaveLength(64);
      expect(oidFromAccessToken(jwt)).toBe('1000328686');
    });

    it('the 2020 test-stand code verifies with TESIA GOST 2012.cer (PEM and DER) as it stands in the JWT, s‖r big-endian', async () => {
      const cert = text('TESIA-GOST-2012-2019-2020.cer');
      for (const list of [keys('TESIA GOST 2012.pem', Buffer.from(cert)), keys('TESIA GOST 2012.cer', derOfPem(cert))]) {
        const used = await verifyJwtSignature(decodeJwt(gost2020), list);
        expect(used.certificate!.serialNumber).toBe('720B01565000C399E9113EA919767326');
      }
      const reversed = decodeJwt(gost2020);
      reversed.signature = Buffer.from(reversed.signature).reverse();
      expect(await codeOf(verifyJwtSignature(reversed, keys('TESIA-GOST-2012-2019-2020.cer')))).toBe('esia.token_signature_invalid');
    });

    it('another year’s GOST certificate is esia.token_signature_invalid; only RSA keys for a GOST token is esia.verification_key_mismatch', async () => {
      const jwt = decodeJwt(gost2023);
      expect(await codeOf(verifyJwtSignature(jwt, [...keys('TESIA-GOST-2012-2019-2020.cer'), ...keys('TESIA-GOST-2012-2021-2022.cer')]))).toBe('esia.token_signature_invalid');
      expect(await codeOf(verifyJwtSignature(jwt, keys('RSA_TESIA-2014-2024.cer')))).toBe('esia.verification_key_mismatch');
      expect(await codeOf(verifyJwtSignature(decodeJwt(rsa2018), keys('TESIA-GOST-2012-2023.public-key.txt')))).toBe('esia.verification_key_mismatch');
    });

    it('in a rotation list the right key is found among the wrong ones', async () => {
      const list = [...keys('RSA_PROD-2014-2024.cer'), ...keys('TESIA-GOST-2012-2021-2022.cer'), ...keys('TESIA-GOST-2012-2023.public-key.txt'), ...keys('RSA_TESIA-2014-2024.public-key.txt')];
      expect((await verifyJwtSignature(decodeJwt(gost2023), list)).source).toBe('TESIA-GOST-2012-2023.public-key.txt');
      expect((await verifyJwtSignature(decodeJwt(rsa2018), list)).source).toBe('RSA_TESIA-2014-2024.public-key.txt');
      expect(await codeOf(verifyJwtSignature(decodeJwt(rsa2018), []))).toBe('esia.verification_keys_missing');
    });
  });
});
