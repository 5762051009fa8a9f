import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { GostSigner } from './signer';

export interface CryptoproSignerOptions {
  /** Key container name (`\\.\HDIMAGE\ejsync`). */
  container: string;
  /** Container PIN, from the environment; `csptest` takes it as `-password`. */
  password?: string;
  /** @defaultValue `/opt/cprocsp/bin/amd64/csptest` */
  csptestBinary?: string;
}

function run(binary: string, args: string[]): Promise<void> {
  return new Promise((resolve, reject) =>
    execFile(binary, args, { timeout: 30_000 }, (error, _stdout, stderr) =>
      error ? reject(Object.assign(new Error(`csptest: ${String(stderr).trim().split('\n').pop() ?? error.message}`), { cause: error })) : resolve(),
    ),
  );
}

/**
 * Signs with CryptoPro CSP's `csptest -keyset -sign GOST12_256`. CryptoPro writes the signature
 * little-endian; ЕСИА wants OpenSSL's big-endian order, so the bytes are reversed.
 */
export class CryptoproSigner implements GostSigner {
  readonly kind = 'cryptopro';
  private readonly binary: string;

  constructor(private readonly options: CryptoproSignerOptions) {
    this.binary = options.csptestBinary ?? '/opt/cprocsp/bin/amd64/csptest';
  }

  async sign(data: Buffer): Promise<Buffer> {
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-csp-'));
    try {
      const input = path.join(dir, 'message');
      const output = path.join(dir, 'signature');
      await writeFile(input, data);
      const args = ['-keyset', '-sign', 'GOST12_256', '-container', this.options.container, '-keytype', 'exchange', '-in', input, '-out', output];
      if (this.options.password) args.push('-password', this.options.password);
      await run(this.binary, args);
      return reverseBytes(await readFile(output));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }

  async check(): Promise<void> {
    try {
      await run(this.binary, ['-keyset', '-check', '-container', this.options.container]);
    } catch (cause) {
      throw new Error(`КриптоПро: контейнер «${this.options.container}» недоступен или csptest не найден (${this.binary}): ${(cause as Error).message}`);
    }
  }
}

/** CryptoPro little-endian ⇄ OpenSSL big-endian. */
export function reverseBytes(signature: Buffer): Buffer {
  return Buffer.from(signature).reverse();
}
