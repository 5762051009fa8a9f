import { EjsyncError } from '../../model';
import type { EsiaTokenAlgorithm, VerificationKey } from './keys/verification-key';
import { verifyWithKey } from './keys/verify-signature';

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
  /** ЕСИА's verification keys (the rotation list, read by `loadVerificationKeys`); any one verifying is enough. */
  keys: readonly VerificationKey[];
  issuer: string;
  clientId: string;
  /** `access` or `id` (ЕСИА's `sbt` header). */
  kind: 'access' | 'id';
  now?: Date;
  /** @defaultValue 60 */
  clockToleranceSeconds?: number;
  opensslBinary?: string;
}

const ALGORITHM_NAMES: Record<EsiaTokenAlgorithm, string> = { RS256: 'RS256 (RSA)', GOST3410_2012_256: 'ГОСТ Р 34.10-2012' };

/**
 * Checks the token's signature against the keys of its own algorithm. No key of that algorithm is
 * `esia.verification_key_mismatch`; keys that do not verify are `esia.token_signature_invalid`.
 * Returns the key that verified.
 */
export async function verifyJwtSignature(jwt: DecodedJwt, keys: readonly VerificationKey[], opensslBinary?: string): Promise<VerificationKey> {
  const alg = String(jwt.header.alg ?? '');
  if (alg !== 'RS256' && alg !== 'GOST3410_2012_256') throw new EjsyncError('esia.token_invalid', { detail: `неподдерживаемый алгоритм подписи ${alg}` });
  if (!keys.length) throw new EjsyncError('esia.verification_keys_missing');
  const candidates = keys.filter((k) => k.algorithm === alg);
  if (!candidates.length) {
    const have = [...new Set(keys.map((k) => ALGORITHM_NAMES[k.algorithm]))].join(', ');
    throw new EjsyncError('esia.verification_key_mismatch', { detail: `маркер подписан ${ALGORITHM_NAMES[alg]}, а ключи проверки — ${have}` });
  }
  for (const key of candidates) {
    if (await verifyWithKey(key, jwt.signingInput, jwt.signature, opensslBinary)) return key;
  }
  throw new EjsyncError('esia.token_signature_invalid', { detail: `ключей ${ALGORITHM_NAMES[alg]}: ${candidates.length}` });
}

/**
 * Verifies an ЕСИА token ourselves: openid-client rejects ЕСИА's numeric `sub`, and ЕСИА has no
 * JWKS. RS256 through Node's crypto; `GOST3410_2012_256` through OpenSSL's gost engine (ЕСИА puts
 * the signature big-endian s‖r, as OpenSSL expects). Then issuer, audience/client, `sbt` and times.
 */
export async function verifyEsiaToken(token: string, check: TokenCheck): Promise<DecodedJwt> {
  const jwt = decodeJwt(token);
  await verifyJwtSignature(jwt, check.keys, check.opensslBinary);
  const p = jwt.payload;
  if (jwt.header.sbt !== undefined && jwt.header.sbt !== check.kind) throw new EjsyncError('esia.token_invalid', { detail: `ожидался маркер вида ${check.kind}` });
  if (p.iss !== check.issuer) throw new EjsyncError('esia.token_invalid', { detail: `издатель маркера ${String(p.iss)}, а ожидался ${check.issuer} (esia.issuer)` });
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
