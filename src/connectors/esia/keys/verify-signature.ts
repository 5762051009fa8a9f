import { createPublicKey, verify as nodeVerify } from 'node:crypto';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { EjsyncError } from '../../../model';
import { runOpenssl, type OpensslFailure } from '../signer/openssl-runner';
import type { VerificationKey } from './verification-key';

/** GOST R 34.10-2012 (256 bit) signatures are 64 bytes: s‖r, each big-endian (RFC 9215 §2, OpenSSL's order). */
export const GOST_SIGNATURE_LENGTH = 64;

/**
 * Runs one OpenSSL verification: true for "verified", false for "does not verify"; anything
 * else (no gost engine, OpenSSL missing) is `esia.gost_unavailable`, never OpenSSL's own text.
 */
async function opensslVerifies(args: (dir: string) => string[], files: Record<string, Buffer | string>, input: Buffer, opensslBinary: string): Promise<boolean> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-gost-'));
  try {
    for (const [name, content] of Object.entries(files)) await writeFile(path.join(dir, name), content);
    await runOpenssl(args(dir), input, opensslBinary);
    return true;
  } catch (error) {
    const out = (error as Partial<OpensslFailure>).stdout?.toString('utf8') ?? '';
    if (/Verification failure|Signature Verification Failure/i.test(out)) return false;
    throw new EjsyncError('esia.gost_unavailable', { cause: error });
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Verifies a raw GOST R 34.10-2012 (256 bit) signature of `data` (hashed with Streebog-256)
 * through OpenSSL's gost engine. The signature is taken in the order ЕСИА puts in its JWTs and
 * OpenSSL writes: s‖r, big-endian — pinned by the standard's example (test/unit/esia).
 */
export async function verifyGostData(publicKeyPem: string, data: Buffer, signature: Buffer, opensslBinary = 'openssl'): Promise<boolean> {
  if (signature.length !== GOST_SIGNATURE_LENGTH) return false;
  return opensslVerifies(
    (dir) => ['dgst', '-engine', 'gost', '-md_gost12_256', '-verify', path.join(dir, 'key.pem'), '-signature', path.join(dir, 'sig.bin')],
    { 'key.pem': publicKeyPem, 'sig.bin': signature },
    data,
    opensslBinary,
  );
}

/**
 * Verifies a signature over an already computed Streebog-256 digest, given as the hash function
 * outputs it (OpenSSL's byte order). For checking the standard's own examples, which give the digest.
 */
export async function verifyGostDigest(publicKeyPem: string, digest: Buffer, signature: Buffer, opensslBinary = 'openssl'): Promise<boolean> {
  if (signature.length !== GOST_SIGNATURE_LENGTH || digest.length !== 32) return false;
  return opensslVerifies(
    (dir) => ['pkeyutl', '-engine', 'gost', '-verify', '-pubin', '-inkey', path.join(dir, 'key.pem'), '-sigfile', path.join(dir, 'sig.bin')],
    { 'key.pem': publicKeyPem, 'sig.bin': signature },
    digest,
    opensslBinary,
  );
}

/** Verifies `data` against one key with the key's own algorithm (RS256 in Node, GOST via OpenSSL). */
export async function verifyWithKey(key: VerificationKey, data: Buffer, signature: Buffer, opensslBinary = 'openssl'): Promise<boolean> {
  if (key.algorithm === 'RS256') return nodeVerify('sha256', data, createPublicKey({ key: key.spki, format: 'der', type: 'spki' }), signature);
  return verifyGostData(key.publicKeyPem, data, signature, opensslBinary);
}
