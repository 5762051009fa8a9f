import { generateKeyPairSync, sign as nodeSign } from 'node:crypto';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EjsyncError } from '../../../model';
import type { EsiaTokenAlgorithm } from '../keys/verification-key';
import { OpensslGostSigner } from '../signer/openssl-gost-signer';
import { runOpenssl } from '../signer/openssl-runner';

/** The emulator's token-signing key and the certificate it publishes, as ЕСИА does in esia.zip. */
export interface EmulatorTokenKeys {
  algorithm: EsiaTokenAlgorithm;
  /** Self-signed certificate of the signing key (PEM). */
  certificatePem: string;
  /** Signs a JWS signing input: 64-byte s‖r for GOST (as ЕСИА), PKCS#1 v1.5 for RS256. */
  sign(input: Buffer): Promise<Buffer>;
  close(): Promise<void>;
}

const SUBJECT = '/O=ejsync/CN=ESIA emulator (not gosuslugi.ru)';

/**
 * Makes a fresh signing key: GOST R 34.10-2012 (256 bit, paramset A) through OpenSSL's gost engine
 * — what ЕСИА signs with today — or RSA 2048 for RS256. The key lives in a temporary folder that
 * `close()` removes.
 */
export async function createEmulatorTokenKeys(algorithm: EsiaTokenAlgorithm, opensslBinary = 'openssl'): Promise<EmulatorTokenKeys> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-esia-emulator-'));
  const keyFile = path.join(dir, 'token-key.pem');
  const certFile = path.join(dir, 'token-cert.pem');
  const close = () => rm(dir, { recursive: true, force: true });
  try {
    if (algorithm === 'GOST3410_2012_256') {
      await runOpenssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', keyFile], undefined, opensslBinary);
      await runOpenssl(['req', '-engine', 'gost', '-new', '-x509', '-md_gost12_256', '-key', keyFile, '-out', certFile, '-days', '365', '-subj', SUBJECT], undefined, opensslBinary);
      const signer = new OpensslGostSigner({ keyFile, opensslBinary });
      return { algorithm, certificatePem: await readFile(certFile, 'utf8'), sign: (input) => signer.sign(input), close };
    }
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    await writeFile(keyFile, privateKey.export({ type: 'pkcs8', format: 'pem' }));
    await runOpenssl(['req', '-new', '-x509', '-sha256', '-key', keyFile, '-out', certFile, '-days', '365', '-subj', SUBJECT], undefined, opensslBinary);
    return { algorithm, certificatePem: await readFile(certFile, 'utf8'), sign: async (input) => nodeSign('sha256', input, privateKey), close };
  } catch (error) {
    await close();
    throw algorithm === 'GOST3410_2012_256' ? new EjsyncError('esia.gost_unavailable', { cause: error }) : error;
  }
}
