import { access, readFile } from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { EjsyncError } from '../../../model';
import { parseVerificationKeys } from '../keys/verification-key';
import { verifyGostData } from '../keys/verify-signature';
import type { GostSigner } from './signer';
import { runOpenssl } from './openssl-runner';

export interface OpensslGostSignerOptions {
  /** PEM file of the GOST R 34.10-2012 private key (never logged, never copied). */
  keyFile: string;
  /** Passphrase of an encrypted key, if any (taken from the environment by the caller). */
  keyPassphrase?: string;
  /** @defaultValue `openssl` */
  opensslBinary?: string;
}

/**
 * Signs with `openssl dgst -engine gost -md_gost12_256 -sign KEY` in a subprocess. OpenSSL already
 * gives the big-endian `s‖r` form ЕСИА expects (no byte reversal, unlike CryptoPro).
 */
export class OpensslGostSigner implements GostSigner {
  readonly kind = 'openssl';
  private readonly binary: string;

  constructor(private readonly options: OpensslGostSignerOptions) {
    this.binary = options.opensslBinary ?? 'openssl';
  }

  async sign(data: Buffer): Promise<Buffer> {
    const args = ['dgst', '-engine', 'gost', '-md_gost12_256', '-sign', this.options.keyFile, '-binary'];
    if (this.options.keyPassphrase !== undefined) args.push('-passin', 'env:EJSYNC_ESIA_KEY_PASS');
    const previous = process.env.EJSYNC_ESIA_KEY_PASS;
    if (this.options.keyPassphrase !== undefined) process.env.EJSYNC_ESIA_KEY_PASS = this.options.keyPassphrase;
    try {
      const { stdout } = await runOpenssl(args, data, this.binary);
      if (stdout.length !== 64) throw new Error(`подпись имеет длину ${stdout.length} байт вместо 64: ключ не ГОСТ Р 34.10-2012 (256 бит)?`);
      return stdout;
    } finally {
      if (this.options.keyPassphrase !== undefined) {
        if (previous === undefined) delete process.env.EJSYNC_ESIA_KEY_PASS;
        else process.env.EJSYNC_ESIA_KEY_PASS = previous;
      }
    }
  }

  async check(): Promise<void> {
    try {
      await access(this.options.keyFile, constants.R_OK);
    } catch {
      throw new Error(`Файл закрытого ключа ЕСИА не найден или недоступен для чтения: ${this.options.keyFile}`);
    }
    try {
      await runOpenssl(['engine', 'gost'], undefined, this.binary);
    } catch {
      throw new Error('OpenSSL не может загрузить движок gost: установите пакет libengine-gost-openssl (apt-get install libengine-gost-openssl).');
    }
    const pem = await readFile(this.options.keyFile, 'utf8');
    if (!/-----BEGIN (ENCRYPTED )?PRIVATE KEY-----/.test(pem)) {
      throw new Error(`Файл ${path.basename(this.options.keyFile)} не содержит закрытого ключа в формате PEM (BEGIN PRIVATE KEY).`);
    }
    try {
      const sig = await this.sign(Buffer.from('ejsync signer self-check'));
      if (sig.length !== 64) throw new Error('bad length');
    } catch (cause) {
      throw new Error(`Не удалось подписать пробную строку ключом ${path.basename(this.options.keyFile)}: ${(cause as Error).message}`);
    }
  }
}

/**
 * Verifies a raw GOST signature with a certificate or public key in any form the key reader
 * takes (used by the ЕСИА emulator for `client_secret`, and by tests). A key that is not a GOST
 * one, or not readable, is `esia.verification_key_*`; an OpenSSL without the gost engine is
 * `esia.gost_unavailable`.
 */
export async function verifyGostSignature(data: Buffer, signature: Buffer, certificatePem: string | Buffer, opensslBinary = 'openssl'): Promise<boolean> {
  const parsed = parseVerificationKeys(Buffer.isBuffer(certificatePem) ? certificatePem : Buffer.from(certificatePem), 'certificate');
  if (!parsed.ok) throw new EjsyncError(parsed.code, { detail: parsed.detail });
  const key = parsed.keys[0];
  if (key.algorithm !== 'GOST3410_2012_256') throw new EjsyncError('esia.verification_key_unsupported', { detail: 'нужен ключ ГОСТ Р 34.10-2012 (256 бит)' });
  return verifyGostData(key.publicKeyPem, data, signature, opensslBinary);
}
