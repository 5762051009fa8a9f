import { createPublicKey, X509Certificate, type JsonWebKey } from 'node:crypto';
import type { ErrorCode } from '../../../model';
import { certificateParts, childrenOf, DerError, looksLikeDer, readElement, spkiAlgorithm } from './der';

/** The token signature algorithms ЕСИА uses (the `alg` header of its JWTs). */
export type EsiaTokenAlgorithm = 'RS256' | 'GOST3410_2012_256';

/** How a key was written in its file. */
export type VerificationKeyForm = 'certificate-pem' | 'certificate-der' | 'public-key-pem' | 'public-key-der' | 'jwk';

/** One key that can verify ЕСИА's token signatures, whatever form its file had. */
export interface VerificationKey {
  /** The file (or label) it came from; `#2` marks the second key of a bundle. */
  source: string;
  algorithm: EsiaTokenAlgorithm;
  form: VerificationKeyForm;
  /** DER SubjectPublicKeyInfo. */
  spki: Buffer;
  /** The same key as PEM `PUBLIC KEY` (what OpenSSL's gost engine is given). */
  publicKeyPem: string;
  /** Present when the key came in a certificate. */
  certificate?: { subject: string; serialNumber: string; validFrom: Date; validTo: Date };
}

/** Why a file gave no key: a catalogued code and a Russian detail naming the problem. */
export interface KeyProblem {
  code: Extract<ErrorCode, 'esia.verification_key_unreadable' | 'esia.verification_key_unsupported'>;
  detail: string;
}

export type ParsedKeys = { ok: true; keys: VerificationKey[] } | ({ ok: false } & KeyProblem);

const ALGORITHMS: Record<string, EsiaTokenAlgorithm | string> = {
  '1.2.840.113549.1.1.1': 'RS256',
  '1.2.643.7.1.1.1.1': 'GOST3410_2012_256',
  '1.2.643.7.1.1.1.2': 'ГОСТ Р 34.10-2012 512 бит (ЕСИА подписывает маркеры ключом 256 бит)',
  '1.2.643.2.2.19': 'ГОСТ Р 34.10-2001 (ЕСИА подписывает маркеры ГОСТ Р 34.10-2012)',
  '1.2.840.10045.2.1': 'ECDSA (ЕСИА подписывает маркеры RS256 или ГОСТ Р 34.10-2012)',
};

class KeyFormatError extends Error {
  constructor(readonly problem: KeyProblem) {
    super(problem.detail);
  }
}
const unreadable = (detail: string) => new KeyFormatError({ code: 'esia.verification_key_unreadable', detail });

export function publicKeyPemOf(spki: Buffer): string {
  const lines = spki.toString('base64').match(/.{1,64}/g) ?? [];
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`;
}

/** Checks a SubjectPublicKeyInfo is a key ЕСИА signs tokens with and that it is well-formed. */
function keyFromSpki(spki: Buffer, source: string, form: VerificationKeyForm): VerificationKey {
  let oid: string;
  try {
    oid = spkiAlgorithm(spki);
  } catch {
    throw unreadable('открытый ключ повреждён');
  }
  const algorithm = ALGORITHMS[oid];
  if (algorithm !== 'RS256' && algorithm !== 'GOST3410_2012_256') {
    throw new KeyFormatError({ code: 'esia.verification_key_unsupported', detail: `алгоритм ключа: ${algorithm ?? oid}` });
  }
  if (algorithm === 'RS256') {
    try {
      createPublicKey({ key: spki, format: 'der', type: 'spki' });
    } catch {
      throw unreadable('открытый ключ RSA повреждён');
    }
  } else {
    // The key is an OCTET STRING of 64 bytes (x‖y, little-endian) inside the BIT STRING.
    try {
      const [, bits] = childrenOf(spki, readElement(spki));
      const inner = readElement(spki, bits.contentStart + 1, bits.end);
      if (inner.tag !== 0x04 || inner.end - inner.contentStart !== 64) throw new DerError('bad GOST key');
    } catch {
      throw unreadable('открытый ключ ГОСТ повреждён');
    }
  }
  return { source, algorithm, form, spki: Buffer.from(spki), publicKeyPem: publicKeyPemOf(spki) };
}

function keyFromCertificate(der: Buffer, source: string, form: VerificationKeyForm): VerificationKey {
  let spki: Buffer;
  let cert: X509Certificate;
  try {
    spki = certificateParts(der).spki;
    cert = new X509Certificate(der);
  } catch {
    throw unreadable('сертификат повреждён');
  }
  const key = keyFromSpki(spki, source, form);
  key.certificate = {
    subject: cert.subject.split('\n').join(', '),
    serialNumber: cert.serialNumber,
    validFrom: new Date(cert.validFrom),
    validTo: new Date(cert.validTo),
  };
  return key;
}

function keyFromJwk(jwk: JsonWebKey, source: string): VerificationKey {
  if (jwk.kty !== 'RSA') throw new KeyFormatError({ code: 'esia.verification_key_unsupported', detail: `ключ JWK типа ${String(jwk.kty)}` });
  try {
    const spki = createPublicKey({ key: jwk, format: 'jwk' }).export({ type: 'spki', format: 'der' });
    return keyFromSpki(spki, source, 'jwk');
  } catch (e) {
    if (e instanceof KeyFormatError) throw e;
    throw unreadable('ключ JWK повреждён');
  }
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function keysFromPem(text: string, source: string): VerificationKey[] {
  const blocks = [...text.matchAll(PEM_BLOCK)];
  const label = (i: number) => (blocks.length > 1 ? `${source}#${i + 1}` : source);
  const keys: VerificationKey[] = [];
  for (const [i, [whole, type, body]] of blocks.entries()) {
    const der = Buffer.from(body.replace(/[^A-Za-z0-9+/=]/g, ''), 'base64');
    if (type === 'CERTIFICATE' || type === 'X509 CERTIFICATE') keys.push(keyFromCertificate(der, label(i), 'certificate-pem'));
    else if (type === 'PUBLIC KEY') keys.push(keyFromSpki(der, label(i), 'public-key-pem'));
    else if (type === 'RSA PUBLIC KEY') {
      let spki: Buffer;
      try {
        spki = createPublicKey({ key: whole, format: 'pem' }).export({ type: 'spki', format: 'der' });
      } catch {
        throw unreadable('открытый ключ RSA повреждён');
      }
      keys.push(keyFromSpki(spki, label(i), 'public-key-pem'));
    } else if (/PRIVATE KEY/.test(type)) {
      throw unreadable('в файле закрытый ключ; нужен сертификат или открытый ключ ЕСИА, а не ключ своей системы');
    }
  }
  if (!keys.length) throw unreadable('в файле нет сертификата или открытого ключа в формате PEM');
  return keys;
}

function keysFromJson(text: string, source: string): VerificationKey[] {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw unreadable('файл JSON не разбирается');
  }
  const list = value && typeof value === 'object' && Array.isArray((value as { keys?: unknown }).keys) ? (value as { keys: JsonWebKey[] }).keys : [value as JsonWebKey];
  if (!list.length || list.some((k) => !k || typeof k !== 'object' || !('kty' in k))) throw unreadable('в файле JSON нет ключа JWK');
  return list.map((k, i) => keyFromJwk(k, list.length > 1 ? `${source}#${i + 1}` : source));
}

/**
 * Reads every key in one file: a certificate (PEM or DER, as ЕСИА publishes them in `esia.zip`),
 * a bare public key (PEM `PUBLIC KEY` / `RSA PUBLIC KEY`, or DER), a JWK or JWK set; RSA or
 * GOST R 34.10-2012 (256 bit). Pure: the caller reads the file.
 */
export function parseVerificationKeys(bytes: Buffer, source: string): ParsedKeys {
  try {
    const text = bytes.toString('latin1');
    if (text.includes('-----BEGIN ')) return { ok: true, keys: keysFromPem(text, source) };
    const trimmed = text.trim();
    if (trimmed.startsWith('{')) return { ok: true, keys: keysFromJson(bytes.toString('utf8'), source) };
    if (looksLikeDer(bytes)) {
      try {
        certificateParts(bytes);
      } catch {
        return { ok: true, keys: [keyFromSpki(bytes, source, 'public-key-der')] };
      }
      return { ok: true, keys: [keyFromCertificate(bytes, source, 'certificate-der')] };
    }
    throw unreadable(bytes.length ? 'это не сертификат (PEM или DER), не открытый ключ и не JWK' : 'файл пуст');
  } catch (e) {
    if (e instanceof KeyFormatError) return { ok: false, ...e.problem };
    throw e;
  }
}
