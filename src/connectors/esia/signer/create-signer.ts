import type { EsiaSignerConfig } from '../../../config/esia-config';
import { CryptoproSigner } from './cryptopro-signer';
import { OpensslGostSigner } from './openssl-gost-signer';
import { RemoteSigner } from './remote-signer';
import type { GostSigner } from './signer';

/** Builds the configured signer; secrets come from the environment variables the config names. */
export function createSigner(config: EsiaSignerConfig, env: NodeJS.ProcessEnv = process.env): GostSigner {
  switch (config.kind) {
    case 'openssl':
      return new OpensslGostSigner({
        keyFile: config.keyFile,
        keyPassphrase: config.keyPassphraseEnv ? env[config.keyPassphraseEnv] : undefined,
        opensslBinary: config.opensslBinary,
      });
    case 'cryptopro':
      return new CryptoproSigner({ container: config.container, password: config.passwordEnv ? env[config.passwordEnv] : undefined, csptestBinary: config.csptestBinary });
    case 'remote':
      return new RemoteSigner({ url: config.url, token: config.tokenEnv ? env[config.tokenEnv] : undefined });
  }
}
