/**
 * Produces ЕСИА's `client_secret`: a raw GOST R 34.10-2012 (256-bit) signature of a UTF-8 string,
 * 64 bytes in OpenSSL's big-endian order. Backends: OpenSSL with the gost engine (subprocess),
 * CryptoPro CLI (output byte-reversed), a remote signing service.
 */
export interface GostSigner {
  /** Backend name for messages (`openssl`, `cryptopro`, `remote`). */
  readonly kind: string;
  /** Signs `data`; returns the 64-byte raw signature. */
  sign(data: Buffer): Promise<Buffer>;
  /** Checks the configuration can sign (binary present, key readable); throws a Russian message. */
  check(): Promise<void>;
}

/** `client_secret` encoding: base64url without padding (86 characters for 64 bytes). */
export function encodeClientSecret(signature: Buffer): string {
  return signature.toString('base64url');
}
