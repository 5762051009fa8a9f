/**
 * The little DER (ASN.1) reading that ЕСИА's keys need: walking a certificate to its
 * `subjectPublicKeyInfo` and reading an algorithm OID. Node can parse GOST certificates
 * (subject, validity) but cannot export a GOST public key, so the key is cut out here.
 */

/** One tag-length-value element: `start`..`end` is the whole element, `contentStart` its value. */
export interface DerElement {
  tag: number;
  start: number;
  contentStart: number;
  end: number;
}

/** Thrown for anything that is not well-formed DER (the caller turns it into a finding). */
export class DerError extends Error {}

/** Reads the element at `offset` (single-byte tags, definite lengths: what DER allows). */
export function readElement(buf: Buffer, offset = 0, limit = buf.length): DerElement {
  if (offset + 2 > limit) throw new DerError('truncated');
  const tag = buf[offset];
  let length = buf[offset + 1];
  let header = 2;
  if (length & 0x80) {
    const bytes = length & 0x7f;
    if (bytes === 0 || bytes > 4 || offset + 2 + bytes > limit) throw new DerError('bad length');
    length = 0;
    for (let i = 0; i < bytes; i++) length = length * 256 + buf[offset + 2 + i];
    header += bytes;
  }
  const end = offset + header + length;
  if (end > limit) throw new DerError('truncated');
  return { tag, start: offset, contentStart: offset + header, end };
}

/** The elements inside a constructed element. */
export function childrenOf(buf: Buffer, parent: DerElement): DerElement[] {
  const out: DerElement[] = [];
  for (let at = parent.contentStart; at < parent.end; ) {
    const child = readElement(buf, at, parent.end);
    out.push(child);
    at = child.end;
  }
  return out;
}

const SEQUENCE = 0x30;
const OID = 0x06;

/** The dotted form of an OBJECT IDENTIFIER element. */
export function oidOf(buf: Buffer, el: DerElement): string {
  if (el.tag !== OID || el.end === el.contentStart) throw new DerError('not an OID');
  const parts: number[] = [];
  let value = 0;
  for (let i = el.contentStart; i < el.end; i++) {
    value = value * 128 + (buf[i] & 0x7f);
    if (!(buf[i] & 0x80)) {
      if (parts.length === 0) parts.push(value < 80 ? Math.floor(value / 40) : 2, value < 80 ? value % 40 : value - 80);
      else parts.push(value);
      value = 0;
    }
  }
  return parts.join('.');
}

/** The whole DER must be exactly one SEQUENCE. */
function topSequence(der: Buffer): DerElement {
  const top = readElement(der, 0);
  if (top.tag !== SEQUENCE || top.end !== der.length) throw new DerError('not a single SEQUENCE');
  return top;
}

/** Parts of an X.509 certificate, as DER slices. */
export interface CertificateParts {
  /** The signed part (TBSCertificate), whole element. */
  tbs: Buffer;
  /** SubjectPublicKeyInfo, whole element. */
  spki: Buffer;
  /** The signature BIT STRING's bytes (without the unused-bits octet). */
  signature: Buffer;
}

/** Cuts a DER certificate into its signed part, public key and signature. */
export function certificateParts(der: Buffer): CertificateParts {
  const [tbsEl, , sigEl] = childrenOf(der, topSequence(der));
  if (!tbsEl || tbsEl.tag !== SEQUENCE || !sigEl || sigEl.tag !== 0x03) throw new DerError('not a certificate');
  const fields = childrenOf(der, tbsEl);
  // version [0] is optional; then serial, signature, issuer, validity, subject, subjectPublicKeyInfo.
  const first = fields[0]?.tag === 0xa0 ? 1 : 0;
  const spkiEl = fields[first + 5];
  if (!spkiEl || spkiEl.tag !== SEQUENCE) throw new DerError('no subjectPublicKeyInfo');
  return {
    tbs: der.subarray(tbsEl.start, tbsEl.end),
    spki: der.subarray(spkiEl.start, spkiEl.end),
    signature: der.subarray(sigEl.contentStart + 1, sigEl.end),
  };
}

/** The algorithm OID of a SubjectPublicKeyInfo (`1.2.840.113549.1.1.1` for RSA, …). */
export function spkiAlgorithm(spki: Buffer): string {
  const [algEl, keyEl] = childrenOf(spki, topSequence(spki));
  if (!algEl || algEl.tag !== SEQUENCE || !keyEl || keyEl.tag !== 0x03) throw new DerError('not a SubjectPublicKeyInfo');
  const [oidEl] = childrenOf(spki, algEl);
  if (!oidEl) throw new DerError('no algorithm');
  return oidOf(spki, oidEl);
}

/** True when the bytes are one well-formed DER SEQUENCE (a certificate or a key, not text). */
export function looksLikeDer(bytes: Buffer): boolean {
  try {
    topSequence(bytes);
    return true;
  } catch {
    return false;
  }
}
