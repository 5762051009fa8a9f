import { createPublicKey, verify as verifySignature, X509Certificate } from 'node:crypto';
import { EjsyncError } from '../../model';
import { verifyGostSignature } from './signer/openssl-gost-signer';

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: Buffer;
  signature: Buffer;
}

/** Splits a compact JWS without trusting it. */
export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new EjsyncError('esia.token_invalid', { detail: 'маркер не является JWT' });
  try {
    return {
      header: JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')),
      payload: JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')),
      signingInput: Buffer.from(`${parts[0]}.${parts[1]}`),
      signature: Buffer.from(parts[2], 'base64url'),
    };
  } catch (cause) {
    throw new EjsyncError('esia.token_invalid', { cause, detail: 'маркер не разбирается' });
  }
}

export interface TokenCheck {
  /** PEM certificates (or public keys) of ЕСИА; any one verifying is enough (rotation). */
  certificates: string[];
  issuer: string;
  clientId: string;
  /** `access` or `id` (ЕСИА's `sbt` header). */
  kind: 'access' | 'id';
  now?: Date;
  /** @defaultValue 60 */
  clockToleranceSeconds?: number;
  opensslBinary?: string;
}

/**
 * Verifies an ЕСИА token ourselves: openid-client rejects ЕСИА's numeric `sub`, and ЕСИА has no
 * JWKS. RS256 through Node's crypto; `GOST3410_2012_256` through OpenSSL's gost engine (ЕСИА puts
 * the signature big-endian, as OpenSSL expects). Then issuer, audience/client, `sbt` and times.
 */
export async function verifyEsiaToken(token: string, check: TokenCheck): Promise<DecodedJwt> {
  const jwt = decodeJwt(token);
  const alg = String(jwt.header.alg ?? '');
  let verified = false;
  for (const pem of check.certificates) {
    if (alg === 'RS256') {
      const key = pem.includes('BEGIN PUBLIC KEY') ? createPublicKey(pem) : new X509Certificate(pem).publicKey;
      verified = verifySignature('sha256', jwt.signingInput, key, jwt.signature);
    } else if (alg === 'GOST3410_2012_256') {
      verified = await verifyGostSignature(jwt.signingInput, jwt.signature, pem, check.opensslBinary);
    } else {
      throw new EjsyncError('esia.token_invalid', { detail: `неподдерживаемый алгоритм подписи ${alg}` });
    }
    if (verified) break;
  }
  if (!verified) throw new EjsyncError('esia.token_invalid', { detail: 'подпись не соответствует сертификатам ЕСИА' });
  const p = jwt.payload;
  if (jwt.header.sbt !== undefined && jwt.header.sbt !== check.kind) throw new EjsyncError('esia.token_invalid', { detail: `ожидался маркер вида ${check.kind}` });
  if (p.iss !== check.issuer) throw new EjsyncError('esia.token_invalid', { detail: 'неверный издатель маркера' });
  const audience = check.kind === 'id' ? p.aud : p.client_id;
  if (audience !== check.clientId) throw new EjsyncError('esia.token_invalid', { detail: 'маркер выдан другой системе' });
  const now = Math.floor((check.now ?? new Date()).getTime() / 1000);
  const leeway = check.clockToleranceSeconds ?? 60;
  if (typeof p.exp !== 'number' || p.exp + leeway < now) throw new EjsyncError('esia.token_invalid', { detail: 'срок действия маркера истёк' });
  if (typeof p.nbf === 'number' && p.nbf - leeway > now) throw new EjsyncError('esia.token_invalid', { detail: 'маркер ещё не действует' });
  return jwt;
}

/** The person's oid from an access token (`urn:esia:sbj_id`, a JSON number) as a string. */
export function oidFromAccessToken(jwt: DecodedJwt): string {
  const raw = jwt.payload['urn:esia:sbj_id'];
  if (typeof raw !== 'number' && typeof raw !== 'string') throw new EjsyncError('esia.token_invalid', { detail: 'в маркере нет oid' });
  return String(raw);
}

/** Scopes of an access token without their `?oid=` suffixes. */
export function scopesOf(jwt: DecodedJwt): string[] {
  return String(jwt.payload.scope ?? '')
    .split(/\s+/)
    .filter(Boolean)
    .map((s) => s.replace(/\?oid=\d+$/, ''));
}
