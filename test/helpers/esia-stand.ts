import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { esiaConfigSchema, type EsiaConfig } from '../../src/config/esia-config';
import { EsiaClient } from '../../src/connectors/esia/esia-client';
import { DEMO_PERSONS } from '../../src/connectors/esia/emulator/demo-persons';
import { startEsiaEmulator, type EsiaEmulator } from '../../src/connectors/esia/emulator/esia-emulator';
import type { EmulatedPerson } from '../../src/connectors/esia/emulator/esia-emulator-state';
import type { EsiaTokenAlgorithm } from '../../src/connectors/esia/keys/verification-key';
import { OpensslGostSigner } from '../../src/connectors/esia/signer/openssl-gost-signer';
import { makeGostIdentity, type GostTestIdentity } from './gost-keys';

/** An ЕСИА emulator with a registered system (real GOST key) and a client configured for it. */
export interface EsiaStand {
  emulator: EsiaEmulator;
  config: EsiaConfig;
  client: EsiaClient;
  close(): Promise<void>;
}

export interface EsiaStandOptions {
  /** @defaultValue the demo persons */
  persons?: EmulatedPerson[];
  /** Let unconfirmed accounts sign in (ЕСИА then says `is_tru: false`). @defaultValue false */
  allowUnconfirmed?: boolean;
  /** Scopes the client asks for. @defaultValue the configuration default (`openid fullname birthdate snils`) */
  scope?: string;
  /** How the emulator signs its tokens. @defaultValue the emulator's default, GOST R 34.10-2012 */
  tokenAlgorithm?: EsiaTokenAlgorithm;
}

export async function startEsiaStand(redirectUri: string, logoutRedirectUri?: string, options: EsiaStandOptions = {}): Promise<EsiaStand> {
  const identity: GostTestIdentity = makeGostIdentity('ejsync web test');
  const emulator = await startEsiaEmulator({
    systems: [{ clientId: 'EJSYNC01', certificatePem: identity.certificatePem, redirectUris: [redirectUri], allowUnconfirmed: options.allowUnconfirmed }],
    persons: options.persons ?? DEMO_PERSONS,
    tokenAlgorithm: options.tokenAlgorithm,
  });
  const dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-stand-'));
  // ЕСИА's verification certificate, as an operator would save it from esia.zip.
  const keyFile = path.join(dir, 'esia.cer');
  writeFileSync(keyFile, emulator.verificationCertificatePem);
  const config = esiaConfigSchema.parse({
    baseUrl: emulator.url,
    issuer: emulator.issuer,
    clientId: 'EJSYNC01',
    redirectUri,
    logoutRedirectUri,
    certificateFile: identity.certFile,
    signer: { kind: 'openssl', keyFile: identity.keyFile },
    verificationCertificateFiles: [keyFile],
    ...(options.scope ? { scope: options.scope } : {}),
  });
  const client = new EsiaClient({ config, signer: new OpensslGostSigner({ keyFile: identity.keyFile }) });
  return {
    emulator,
    config,
    client,
    async close() {
      await emulator.close();
      identity.cleanup();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
