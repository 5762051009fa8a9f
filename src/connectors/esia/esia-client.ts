import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import * as oidc from 'openid-client';
import { EjsyncError, isEjsyncError, type Finding } from '../../model';
import type { EsiaConfig } from '../../config/esia-config';
import { esiaError } from './esia-errors';
import { esiaTimestamp } from './esia-timestamp';
import { oidFromAccessToken, scopesOf, verifyEsiaToken, type DecodedJwt } from './esia-token';
import { loadVerificationKeys } from './keys/load-verification-keys';
import type { VerificationKey } from './keys/verification-key';
import { authorizationSignedString, tokenCodeSignedString, tokenRefreshSignedString } from './signed-strings';
import { certificateHash } from './signer/certificate-hash';
import { encodeClientSecret, type GostSigner } from './signer/signer';

export interface EsiaClientOptions {
  config: EsiaConfig;
  signer: GostSigner;
  /** Injectable clock (tests). @defaultValue `() => new Date()` */
  now?: () => Date;
  /** Injectable fetch (tests). @defaultValue global fetch */
  fetch?: typeof fetch;
  /**
   * Told about each entry of the verification-key list that could not be used (or has expired),
   * once, when the list is first read; the other keys are used. @defaultValue ignore
   */
  onFinding?: (finding: Finding) => void;
}

/** The person as ЕСИА describes them (`/rs/prns/{oid}`). */
export interface EsiaPersonRecord {
  oid: string;
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  snils?: string;
  trusted: boolean;
}

/** A child as ЕСИА lists them for a parent (`/rs/prns/{oid}/kids`). */
export interface EsiaKidRecord {
  lastName: string;
  firstName: string;
  middleName?: string;
  /** `YYYY-MM-DD`. */
  birthDate?: string;
  snils?: string;
}

/** Names, birth date (`dd.MM.yyyy` → ISO) and СНИЛС of a `/rs/prns` person object. */
function personFields(p: Record<string, unknown>): EsiaKidRecord {
  const birth = /^(\d{2})\.(\d{2})\.(\d{4})$/.exec(String(p.birthDate ?? ''));
  return {
    lastName: String(p.lastName ?? ''),
    firstName: String(p.firstName ?? ''),
    middleName: p.middleName ? String(p.middleName) : undefined,
    birthDate: birth ? `${birth[3]}-${birth[2]}-${birth[1]}` : undefined,
    snils: p.snils ? String(p.snils) : undefined,
  };
}

/** Started sign-in: the URL to send the browser to, and what to keep in the session. */
export interface AuthorizationRequest {
  url: string;
  state: string;
}

/** What a finished sign-in gives: the person's oid and the tokens (kept server-side only). */
export interface EsiaSignIn {
  oid: string;
  accessToken: string;
  refreshToken?: string;
  expiresIn: number;
  scopes: string[];
  /** `urn:esia:sbj:is_tru` from the ID token: the account is confirmed. */
  trusted: boolean | null;
  idToken?: DecodedJwt;
}

/**
 * ЕСИА sign-in over openid-client 6 with hand-built server metadata (ЕСИА has no discovery), a
 * custom client authentication that GOST-signs the documented strings, and our own token
 * verification (openid-client rejects ЕСИА's numeric `sub`, so the ID token is taken out of the
 * response before openid-client sees it).
 */
export class EsiaClient {
  private readonly config: EsiaConfig;
  private readonly signer: GostSigner;
  private readonly now: () => Date;
  private readonly baseFetch: typeof fetch;
  private certHash: string | null = null;
  private verificationKeys: VerificationKey[] | null = null;
  private readonly onFinding: (finding: Finding) => void;
  private readonly oidcConfig: oidc.Configuration;
  private readonly stashedIdTokens = new Map<string, string>();

  constructor(options: EsiaClientOptions) {
    this.config = options.config;
    this.signer = options.signer;
    this.now = options.now ?? (() => new Date());
    this.baseFetch = options.fetch ?? fetch;
    this.onFinding = options.onFinding ?? (() => {});
    const base = this.config.baseUrl.replace(/\/+$/, '');
    const server: oidc.ServerMetadata = {
      issuer: this.config.issuer,
      authorization_endpoint: `${base}/aas/oauth2/v2/ac`,
      token_endpoint: `${base}/aas/oauth2/v3/te`,
    };
    this.oidcConfig = new oidc.Configuration(server, this.config.clientId, { redirect_uris: [this.config.redirectUri] }, this.clientAuth());
    this.oidcConfig[oidc.customFetch] = (url, init) => this.fetchTokenEndpoint(url, init);
    if (base.startsWith('http://')) oidc.allowInsecureRequests(this.oidcConfig);
  }

  /** Streebog-256 of the IS certificate (computed once). */
  async certificateHash(): Promise<string> {
    if (!this.certHash) this.certHash = await certificateHash(await readFile(this.config.certificateFile, 'utf8'));
    return this.certHash;
  }

  private async sign(text: string): Promise<string> {
    try {
      return encodeClientSecret(await this.signer.sign(Buffer.from(text, 'utf8')));
    } catch (cause) {
      throw new EjsyncError('esia.signer_failed', { cause });
    }
  }

  /** Builds the `/aas/oauth2/v2/ac` URL; keep `state` in the session to check the callback. */
  async authorizationUrl(): Promise<AuthorizationRequest> {
    const state = randomUUID();
    const timestamp = esiaTimestamp(this.now(), this.config.timeZone);
    const parts = { clientId: this.config.clientId, scope: this.config.scope, scopeOrg: this.config.scopeOrg, timestamp, state, redirectUri: this.config.redirectUri };
    const url = oidc.buildAuthorizationUrl(this.oidcConfig, {
      response_type: 'code',
      scope: parts.scope,
      scope_org: parts.scopeOrg,
      timestamp,
      state,
      redirect_uri: parts.redirectUri,
      access_type: this.config.accessType,
      client_certificate_hash: await this.certificateHash(),
      client_secret: await this.sign(authorizationSignedString(parts)),
    });
    return { url: url.href, state };
  }

  /** The ЕСИА logout URL (ends ЕСИА's own session too). */
  logoutUrl(): string {
    const url = new URL(`${this.config.baseUrl.replace(/\/+$/, '')}/idp/ext/Logout`);
    url.searchParams.set('client_id', this.config.clientId);
    if (this.config.logoutRedirectUri) url.searchParams.set('redirect_url', this.config.logoutRedirectUri);
    return url.href;
  }

  /**
   * Finishes sign-in from the callback URL: checks `state`, exchanges the code at v3/te with a
   * fresh signed state, checks the echoed state, verifies the tokens, returns the oid.
   */
  async finishSignIn(callbackUrl: URL, expectedState: string): Promise<EsiaSignIn> {
    const error = callbackUrl.searchParams.get('error');
    if (error) throw esiaError(error, callbackUrl.searchParams.get('error_description') ?? undefined);
    if (callbackUrl.searchParams.get('state') !== expectedState) throw new EjsyncError('esia.state_mismatch');
    let tokens: oidc.TokenEndpointResponse;
    try {
      tokens = await oidc.authorizationCodeGrant(this.oidcConfig, callbackUrl, { expectedState });
    } catch (cause) {
      throw this.translate(cause);
    }
    return this.signInFrom(tokens);
  }

  /** Refreshes an offline grant (v3/te, grant_type=refresh_token). */
  async refresh(refreshToken: string): Promise<EsiaSignIn> {
    try {
      const tokens = await oidc.refreshTokenGrant(this.oidcConfig, refreshToken, { redirect_uri: this.config.redirectUri });
      return this.signInFrom(tokens);
    } catch (cause) {
      throw this.translate(cause);
    }
  }

  /**
   * Reads the person (`/rs/prns/{oid}`): names, birth date (`dd.MM.yyyy` → ISO), СНИЛС, the
   * confirmed-account flag. Personal data: the caller keeps it out of logs.
   */
  async fetchPerson(accessToken: string, oid: string): Promise<EsiaPersonRecord> {
    const response = await this.getPersonResource(accessToken, `/rs/prns/${encodeURIComponent(oid)}`);
    if (!response.ok) throw new EjsyncError('esia.error', { detail: `данные пользователя: HTTP ${response.status}` });
    const p = (await response.json()) as Record<string, unknown>;
    return { oid, ...personFields(p), trusted: p.trusted === true };
  }

  /**
   * Reads the person's children (`/rs/prns/{oid}/kids?embed=(elements)`): names, birth dates,
   * СНИЛС. Needs a `kid_*` scope; null when ЕСИА refuses (no such scope or consent). Elements
   * ЕСИА gives as links rather than embedded are skipped. Personal data: kept out of logs.
   */
  async fetchKids(accessToken: string, oid: string): Promise<EsiaKidRecord[] | null> {
    const response = await this.getPersonResource(accessToken, `/rs/prns/${encodeURIComponent(oid)}/kids?embed=(elements)`);
    if (response.status === 401 || response.status === 403) return null;
    if (!response.ok) throw new EjsyncError('esia.error', { detail: `сведения о детях: HTTP ${response.status}` });
    const body = (await response.json()) as { elements?: unknown[] };
    return (body.elements ?? []).filter((e): e is Record<string, unknown> => !!e && typeof e === 'object').map(personFields);
  }

  private async getPersonResource(accessToken: string, path: string): Promise<Response> {
    try {
      return await this.baseFetch(`${this.config.baseUrl.replace(/\/+$/, '')}${path}`, { headers: { authorization: `Bearer ${accessToken}`, accept: 'application/json' } });
    } catch (cause) {
      throw new EjsyncError('esia.unreachable', { cause });
    }
  }

  /**
   * ЕСИА's verification keys, read once with the same loader `ejsync esia check` uses: an entry
   * that cannot be used is a finding, not a failure, unless no key is left.
   */
  private async keys(): Promise<VerificationKey[]> {
    if (this.verificationKeys) return this.verificationKeys;
    const { keys, findings } = await loadVerificationKeys(this.config.verificationCertificateFiles, this.now());
    for (const f of findings) this.onFinding(f);
    if (!keys.length) throw new EjsyncError('esia.verification_keys_missing', { detail: findings.map((f) => f.message).join('; ') || undefined });
    this.verificationKeys = keys;
    return keys;
  }

  private async signInFrom(tokens: oidc.TokenEndpointResponse): Promise<EsiaSignIn> {
    const keys = await this.keys();
    const common = { keys, issuer: this.config.issuer, clientId: this.config.clientId, now: this.now(), clockToleranceSeconds: this.config.clockToleranceSeconds };
    const access = await verifyEsiaToken(tokens.access_token, { ...common, kind: 'access' });
    const oid = oidFromAccessToken(access);
    const rawId = this.stashedIdTokens.get(tokens.access_token);
    this.stashedIdTokens.delete(tokens.access_token);
    let idToken: DecodedJwt | undefined;
    let trusted: boolean | null = null;
    if (rawId) {
      idToken = await verifyEsiaToken(rawId, { ...common, kind: 'id' });
      if (String(idToken.payload.sub) !== oid) throw new EjsyncError('esia.token_invalid', { detail: 'маркеры выданы разным людям' });
      const sbj = idToken.payload['urn:esia:sbj'] as Record<string, unknown> | undefined;
      trusted = typeof sbj?.['urn:esia:sbj:is_tru'] === 'boolean' ? (sbj['urn:esia:sbj:is_tru'] as boolean) : null;
    }
    return {
      oid,
      accessToken: tokens.access_token,
      refreshToken: tokens.refresh_token,
      expiresIn: tokens.expires_in ?? 3600,
      scopes: scopesOf(access),
      trusted,
      idToken,
    };
  }

  /** Signs every token request; the signed string depends on the grant. */
  private clientAuth(): oidc.ClientAuth {
    return (async (_as: oidc.ServerMetadata, _client: oidc.ClientMetadata, body: URLSearchParams) => {
      const state = randomUUID();
      const timestamp = esiaTimestamp(this.now(), this.config.timeZone);
      // Always the registered URI: openid-client derives one from the callback URL it was given.
      const redirectUri = this.config.redirectUri;
      const parts = { clientId: this.config.clientId, scope: this.config.scope, scopeOrg: this.config.scopeOrg, timestamp, state, redirectUri };
      const grant = body.get('grant_type');
      const signed = grant === 'authorization_code' ? tokenCodeSignedString({ ...parts, code: body.get('code') ?? '' }) : tokenRefreshSignedString(parts);
      body.set('client_id', this.config.clientId);
      body.set('scope', parts.scope);
      body.set('scope_org', parts.scopeOrg);
      body.set('timestamp', timestamp);
      body.set('state', state);
      body.set('redirect_uri', redirectUri);
      body.set('token_type', 'Bearer');
      body.set('client_certificate_hash', await this.certificateHash());
      body.set('client_secret', await this.sign(signed));
    }) as unknown as oidc.ClientAuth;
  }

  /** Checks the echoed state and hides the ID token (numeric `sub`) from openid-client. */
  private async fetchTokenEndpoint(url: string, init: oidc.CustomFetchOptions): Promise<Response> {
    let response: Response;
    try {
      response = await this.baseFetch(url, init as RequestInit);
    } catch (cause) {
      throw new EjsyncError('esia.unreachable', { cause });
    }
    if (!(response.headers.get('content-type') ?? '').includes('json')) return response;
    const json = (await response.clone().json()) as Record<string, unknown>;
    if (!response.ok) throw esiaError(json.error as string | undefined, json.error_description as string | undefined);
    const sentState = new URLSearchParams(String(init.body ?? '')).get('state');
    if (json.state !== sentState) throw new EjsyncError('esia.state_mismatch', { detail: 'ответ на запрос маркера' });
    if (typeof json.id_token === 'string' && typeof json.access_token === 'string') {
      this.stashedIdTokens.set(json.access_token, json.id_token);
      delete json.id_token;
    }
    return new Response(JSON.stringify(json), { status: response.status, headers: response.headers });
  }

  private translate(cause: unknown): EjsyncError {
    if (isEjsyncError(cause)) return cause;
    const c = cause as { cause?: unknown; error?: string; error_description?: string };
    if (isEjsyncError(c.cause)) return c.cause;
    if (c.error) return esiaError(c.error, c.error_description, cause);
    return new EjsyncError('esia.error', { cause, detail: (cause as Error)?.message });
  }
}
