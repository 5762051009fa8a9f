import { mkdtemp, readFile, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { runOpenssl } from '../connectors/esia/signer/openssl-runner';

/** A throw-away GOST R 34.10-2012 key and self-signed certificate for the demo's ЕСИА emulator. */
export interface DemoGostIdentity {
  keyFile: string;
  certFile: string;
  certificatePem: string;
  dir: string;
  remove(): Promise<void>;
}

/**
 * Makes the demo's information-system identity with OpenSSL's gost engine (the same signer the
 * real sign-in uses); it lives in a temporary folder removed at the end of the demo.
 */
export async function makeDemoGostIdentity(): Promise<DemoGostIdentity> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-demo-esia-'));
  const keyFile = path.join(dir, 'demo-key.pem');
  const certFile = path.join(dir, 'demo-cert.pem');
  try {
    await runOpenssl(['genpkey', '-engine', 'gost', '-algorithm', 'gost2012_256', '-pkeyopt', 'paramset:A', '-out', keyFile]);
    await runOpenssl(['req', '-engine', 'gost', '-new', '-x509', '-md_gost12_256', '-key', keyFile, '-out', certFile, '-days', '30', '-subj', '/CN=ejsync demo']);
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw new Error(`не удалось создать ключ ГОСТ для демонстрационного входа через ЕСИА (нужен OpenSSL с движком gost, пакет libengine-gost-openssl): ${(error as Error).message}`, { cause: error });
  }
  return { keyFile, certFile, certificatePem: await readFile(certFile, 'utf8'), dir, remove: () => rm(dir, { recursive: true, force: true }) };
}
