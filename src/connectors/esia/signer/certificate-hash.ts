import { runOpenssl } from './openssl-runner';

/**
 * `client_certificate_hash`: Streebog-256 (GOST R 34.11-2012) of the DER certificate, 64 uppercase
 * hex characters. A hash of the PEM text or a SHA-1 thumbprint makes ЕСИА answer ESIA-007053.
 */
export async function certificateHash(certificatePem: string, opensslBinary = 'openssl'): Promise<string> {
  const der = await runOpenssl(['x509', '-outform', 'DER'], Buffer.from(certificatePem), opensslBinary);
  return (await streebog256(der.stdout, opensslBinary)).toString('hex').toUpperCase();
}

/** GOST R 34.11-2012 256-bit digest through OpenSSL's gost engine. */
export async function streebog256(data: Buffer, opensslBinary = 'openssl'): Promise<Buffer> {
  const { stdout } = await runOpenssl(['dgst', '-engine', 'gost', '-md_gost12_256', '-binary'], data, opensslBinary);
  if (stdout.length !== 32) throw new Error(`unexpected Streebog-256 digest length ${stdout.length}`);
  return stdout;
}
