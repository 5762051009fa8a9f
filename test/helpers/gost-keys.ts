import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export interface GostTestIdentity {
  dir: string;
  keyFile: string;
  certFile: string;
  certificatePem: string;
  cleanup(): void;
}

/**
 * Generates a throw-away GOST R 34.10-2012 (256-bit, paramset A) key and a self-signed
 * certificate with OpenSSL's gost engine. Keys are made by the tests, never committed.
 */
export function makeGostIdentity(commonName = 'ejsync test IS'): GostTestIdentity {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-gost-id-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  execFileSync('openssl', ['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', keyFile], { stdio: 'pipe' });
  execFileSync(
    'openssl',
    ['req', '-engine', 'gost', '-new', '-x509', '-md_gost12_256', '-key', keyFile, '-out', certFile, '-days', '30', '-subj', `/CN=${commonName}`],
    { stdio: 'pipe' },
  );
  return {
    dir,
    keyFile,
    certFile,
    certificatePem: readFileSync(certFile, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}
