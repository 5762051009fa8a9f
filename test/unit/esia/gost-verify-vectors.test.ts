import { execFileSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { certificateParts } from '../../../src/connectors/esia/keys/der';
import { parseVerificationKeys, publicKeyPemOf } from '../../../src/connectors/esia/keys/verification-key';
import { verifyGostData, verifyGostDigest } from '../../../src/connectors/esia/keys/verify-signature';
import { verifyGostSignature } from '../../../src/connectors/esia/signer/openssl-gost-signer';
import { EjsyncError } from '../../../src/model';

const FIXTURES = path.join(__dirname, '..', '..', 'fixtures', 'esia');
const A1 = JSON.parse(readFileSync(path.join(FIXTURES, 'gost-r-34-10-2012-example-a1.json'), 'utf8')) as Record<string, string>;
const hex = (h: string) => Buffer.from(h, 'hex');
const reversed = (b: Buffer) => Buffer.from(b).reverse();

/**
 * SubjectPublicKeyInfo of the standard's Example 1 key: GOST R 34.10-2012 256 bit on the test
 * curve (id-GostR3410-2001-TestParamSet) with Streebog-256, the point as x‖y little-endian
 * (RFC 9215 §3). Built from the standard's own numbers, not copied from a certificate.
 */
const A1_SPKI = Buffer.concat([
  hex('3066301f06082a85030701010101301306072a85030202230006082a8503070101020203430004' + '40'),
  reversed(hex(A1.xQ)),
  reversed(hex(A1.yQ)),
]);
const A1_KEY_PEM = publicKeyPemOf(A1_SPKI);

/**
 * Pins the byte order of GOST R 34.10-2012 signatures in our verifier with the published verify
 * vectors (test/fixtures/esia/README.md): a signature is s‖r, each half big-endian — the order
 * ЕСИА puts in its JWTs and OpenSSL writes, and the reverse of what CryptoPro's csptest writes.
 */
describe('GOST R 34.10-2012 verify vectors pin the signature byte order', () => {
  it('the standard’s Example 1 (A.1 / RFC 7091 §7.1) verifies as s‖r over the digest as Streebog outputs it', async () => {
    const digest = reversed(hex(A1.alpha)); // α is the digest read as a little-endian number
    const sr = Buffer.concat([hex(A1.s), hex(A1.r)]);
    expect(await verifyGostDigest(A1_KEY_PEM, digest, sr)).toBe(true);
    // Every other order is refused: r‖s, the whole signature reversed (CryptoPro), α big-endian.
    expect(await verifyGostDigest(A1_KEY_PEM, digest, Buffer.concat([hex(A1.r), hex(A1.s)]))).toBe(false);
    expect(await verifyGostDigest(A1_KEY_PEM, digest, reversed(sr))).toBe(false);
    expect(await verifyGostDigest(A1_KEY_PEM, hex(A1.alpha), sr)).toBe(false);
  });

  it('RFC 9215’s example certificate — signed with the Example 1 key — verifies with our message verifier', async () => {
    const pem = readFileSync(path.join(FIXTURES, 'rfc9215-example-1.cer'));
    const parsed = parseVerificationKeys(pem, 'rfc9215-example-1.cer');
    if (!parsed.ok) throw new Error(parsed.detail);
    const [key] = parsed.keys;
    // Its key is the standard's Q, read by our DER reader.
    expect(key.spki.equals(A1_SPKI)).toBe(true);
    const der = Buffer.from(pem.toString('latin1').replace(/-----[A-Z ]+-----|\s/g, ''), 'base64');
    const { tbs, signature } = certificateParts(der);
    // Same key and nonce as A.1, so the second half (r) is the standard's r: the layout is s‖r.
    expect(signature.subarray(32).toString('hex').toUpperCase()).toBe(A1.r);
    expect(await verifyGostSignature(tbs, signature, pem)).toBe(true);
    expect(await verifyGostData(key.publicKeyPem, tbs, reversed(signature))).toBe(false);
    expect(await verifyGostData(key.publicKeyPem, Buffer.concat([tbs, Buffer.from([0])]), signature)).toBe(false);
  });

  it('our DER reader takes the same GOST key out of ЕСИА’s certificate as OpenSSL’s gost engine', () => {
    const certFile = path.join(FIXTURES, 'TESIA-GOST-2012-2019-2020.cer');
    const parsed = parseVerificationKeys(readFileSync(certFile), certFile);
    if (!parsed.ok) throw new Error(parsed.detail);
    const fromOpenssl = execFileSync('openssl', ['x509', '-engine', 'gost', '-pubkey', '-noout', '-in', certFile], { stdio: ['ignore', 'pipe', 'ignore'] }).toString();
    expect(parsed.keys[0].publicKeyPem).toBe(fromOpenssl);
  });

  it('a signature of the wrong length never reaches OpenSSL; OpenSSL without the gost engine is esia.gost_unavailable', async () => {
    expect(await verifyGostData(A1_KEY_PEM, Buffer.from('x'), Buffer.alloc(63))).toBe(false);
    const expectUnavailable = async (run: () => Promise<boolean>) => {
      const error = await run().catch((e: unknown) => e);
      expect(error).toBeInstanceOf(EjsyncError);
      expect((error as EjsyncError).code).toBe('esia.gost_unavailable');
      expect((error as EjsyncError).message).not.toMatch(/ENOENT|nonexistent|engine "gost"|error:/i);
    };
    await expectUnavailable(() => verifyGostData(A1_KEY_PEM, Buffer.from('x'), Buffer.alloc(64), '/nonexistent/openssl'));
    // An OpenSSL that cannot find its gost engine (as on a machine without libengine-gost-openssl).
    const dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-no-gost-'));
    try {
      const withoutEngine = path.join(dir, 'openssl');
      writeFileSync(withoutEngine, '#!/bin/sh\nOPENSSL_ENGINES=/nonexistent-engines exec openssl "$@"\n');
      chmodSync(withoutEngine, 0o755);
      await expectUnavailable(() => verifyGostData(A1_KEY_PEM, Buffer.from('x'), Buffer.alloc(64), withoutEngine));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
