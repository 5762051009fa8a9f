import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createSigner } from '../../../src/connectors/esia/signer/create-signer';
import { CryptoproSigner, reverseBytes } from '../../../src/connectors/esia/signer/cryptopro-signer';
import { OpensslGostSigner, verifyGostSignature } from '../../../src/connectors/esia/signer/openssl-gost-signer';
import { RemoteSigner } from '../../../src/connectors/esia/signer/remote-signer';
import { makeGostIdentity, type GostTestIdentity } from '../../helpers/gost-keys';

const MESSAGE = Buffer.from('ejsync-testopenid fullname2026.11.25 10:00:00 +0500', 'utf8');

/**
 * The two signers besides local OpenSSL, each against a stand-in that signs with a real GOST key:
 * a signing service over HTTP, and a `csptest` that, like CryptoPro, writes the signature
 * little-endian. Both must give OpenSSL's big-endian signature that verifies with the certificate.
 */
describe('remote and CryptoPro signers (real GOST signatures underneath)', () => {
  let id: GostTestIdentity;
  let dir: string;
  beforeAll(() => {
    id = makeGostIdentity();
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-signers-'));
  });
  afterAll(() => {
    id.cleanup();
    rmSync(dir, { recursive: true, force: true });
  });

  describe('signing service over HTTP', () => {
    let server: Server;
    let url: string;
    const seen: { auth?: string; type?: string }[] = [];
    let mode: 'raw' | 'json' | 'short' | 'error' = 'raw';
    beforeAll(async () => {
      const local = new OpensslGostSigner({ keyFile: id.keyFile });
      server = createServer((req, res) => {
        const chunks: Buffer[] = [];
        req.on('data', (c: Buffer) => chunks.push(c));
        req.on('end', async () => {
          seen.push({ auth: req.headers.authorization, type: req.headers['content-type'] });
          if (mode === 'error') return void res.writeHead(503).end('down');
          const signature = await local.sign(Buffer.concat(chunks));
          if (mode === 'json') return void res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ signature: signature.toString('base64') }));
          res.writeHead(200, { 'content-type': 'application/octet-stream' }).end(mode === 'short' ? signature.subarray(0, 32) : signature);
        });
      });
      await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
      url = `http://127.0.0.1:${(server.address() as { port: number }).port}/sign`;
    });
    afterAll(() => new Promise<void>((r) => server.close(() => r())));

    it('signs through the service (raw and JSON answers) with the bearer token from the environment', async () => {
      const signer = createSigner({ kind: 'remote', url, tokenEnv: 'SIGNER_TOKEN' } as never, { SIGNER_TOKEN: 'svc-secret' });
      mode = 'raw';
      const raw = await signer.sign(MESSAGE);
      expect(await verifyGostSignature(MESSAGE, raw, id.certificatePem)).toBe(true);
      mode = 'json';
      const viaJson = await signer.sign(MESSAGE);
      expect(await verifyGostSignature(MESSAGE, viaJson, id.certificatePem)).toBe(true);
      expect(seen.at(-1)).toEqual({ auth: 'Bearer svc-secret', type: 'application/octet-stream' });
    });

    it('a wrong-length answer or an error status fails with a Russian message, and the start-up check says what is wrong', async () => {
      const signer = new RemoteSigner({ url });
      mode = 'short';
      await expect(signer.sign(MESSAGE)).rejects.toThrow('сервис подписи вернул 32 байт вместо 64');
      mode = 'error';
      await expect(signer.sign(MESSAGE)).rejects.toThrow('сервис подписи ответил 503');
      await expect(signer.check()).rejects.toThrow(/Сервис подписи http:\/\/127\.0\.0\.1:\d+ недоступен или отвечает неверно/);
    });
  });

  describe('CryptoPro csptest', () => {
    let csptest: string;
    beforeAll(() => {
      // A stand-in for csptest: signs with OpenSSL's gost engine, then writes the bytes reversed
      // (little-endian), as CryptoPro does. Only the configured container exists.
      csptest = path.join(dir, 'csptest');
      writeFileSync(
        csptest,
        `#!/bin/sh
container=""; input=""; output=""; mode=""
while [ $# -gt 0 ]; do
  case "$1" in
    -sign) mode=sign ;;
    -check) mode=check ;;
    -container) container="$2"; shift ;;
    -in) input="$2"; shift ;;
    -out) output="$2"; shift ;;
  esac
  shift
done
if [ "$container" != "ejsync-test" ]; then echo "Error: keyset not found: $container" >&2; exit 1; fi
if [ "$mode" = check ]; then exit 0; fi
openssl dgst -engine gost -md_gost12_256 -sign "${id.keyFile}" -binary "$input" 2>/dev/null > "$output.be" || exit 1
"${process.execPath}" -e "const f=require('fs');f.writeFileSync(process.argv[2],Buffer.from(f.readFileSync(process.argv[1])).reverse())" "$output.be" "$output"
`,
      );
      chmodSync(csptest, 0o755);
    });

    it('reverses CryptoPro byte order into a signature that verifies', async () => {
      const signer = createSigner({ kind: 'cryptopro', container: 'ejsync-test', csptestBinary: csptest } as never, {});
      await signer.check();
      const signature = await signer.sign(MESSAGE);
      expect(signature).toHaveLength(64);
      expect(await verifyGostSignature(MESSAGE, signature, id.certificatePem)).toBe(true);
      // Left little-endian, the same bytes would not verify: the reversal is what makes it work.
      expect(await verifyGostSignature(MESSAGE, reverseBytes(signature), id.certificatePem)).toBe(false);
    });

    it('a missing container fails the start-up check naming the container and the binary', async () => {
      const signer = new CryptoproSigner({ container: 'чужой', csptestBinary: csptest });
      await expect(signer.check()).rejects.toThrow(`КриптоПро: контейнер «чужой» недоступен или csptest не найден (${csptest})`);
      await expect(signer.sign(MESSAGE)).rejects.toThrow(/csptest: Error: keyset not found/);
    });
  });
});
