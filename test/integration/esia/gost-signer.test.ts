import { execFileSync } from 'node:child_process';
import { certificateHash, streebog256 } from '../../../src/connectors/esia/signer/certificate-hash';
import { OpensslGostSigner, verifyGostSignature } from '../../../src/connectors/esia/signer/openssl-gost-signer';
import { encodeClientSecret } from '../../../src/connectors/esia/signer/signer';
import { makeGostIdentity, type GostTestIdentity } from '../../helpers/gost-keys';

describe('GOST signing through OpenSSL (real gost engine)', () => {
  let id: GostTestIdentity;
  beforeAll(() => {
    id = makeGostIdentity();
  });
  afterAll(() => id.cleanup());

  it('Streebog-256 matches the GOST R 34.11-2012 / RFC 6986 test vector M1', async () => {
    const m1 = Buffer.from('012345678901234567890123456789012345678901234567890123456789012', 'ascii');
    expect((await streebog256(m1)).toString('hex')).toBe('9d151eefd8590b89daa6ba6cb74af9275dd051026bb149a452fd84e5e57b5500');
  });

  it('certificate hash is Streebog-256 of the DER certificate, uppercase hex', async () => {
    const hash = await certificateHash(id.certificatePem);
    expect(hash).toMatch(/^[0-9A-F]{64}$/);
    const der = execFileSync('openssl', ['x509', '-in', id.certFile, '-outform', 'DER']);
    expect(hash).toBe((await streebog256(der)).toString('hex').toUpperCase());
    // A hash of the PEM text is the classic mistake (ESIA-007053): it must differ.
    expect(hash).not.toBe((await streebog256(Buffer.from(id.certificatePem))).toString('hex').toUpperCase());
  });

  it('signs a string into a 64-byte raw signature that verifies, 86 base64url chars', async () => {
    const signer = new OpensslGostSigner({ keyFile: id.keyFile });
    await signer.check();
    const data = Buffer.from('client-idopenid fullname2026.09.01 08:00:00 +0500', 'utf8');
    const sig = await signer.sign(data);
    expect(sig).toHaveLength(64);
    const secret = encodeClientSecret(sig);
    expect(secret).toMatch(/^[A-Za-z0-9_-]{86}$/);
    expect(await verifyGostSignature(data, sig, id.certificatePem)).toBe(true);
    expect(await verifyGostSignature(Buffer.from('tampered'), sig, id.certificatePem)).toBe(false);
  });

  it('a missing key fails the start-up check with a Russian message', async () => {
    const signer = new OpensslGostSigner({ keyFile: '/nonexistent/key.pem' });
    await expect(signer.check()).rejects.toThrow(/Файл закрытого ключа ЕСИА не найден/);
  });
});
