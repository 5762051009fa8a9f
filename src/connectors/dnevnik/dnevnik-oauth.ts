import axios from 'axios';
import { EjsyncError } from '../../model';
import type { WireToken } from '../../mappers/dnevnik';
import { checkShape } from './check-shape';
import { classifyFailure } from './classify-failure';
import type { AccessTokenSource } from './dnevnik-client';
import { parseWireJson } from './wire-json';
import { tokenSchema } from './wire-schemas';

/** A school administrator's delegated token, as ejsync keeps it (encrypted) in the store. */
export interface StoredToken {
  accessToken: string;
  refreshToken: string;
  /** ISO instant. */
  expiresAt: string;
  /** The platform user who granted access (`user_str`). */
  userId: string;
  scope: string;
}

/** The registered partner app of ejsync on an installation. */
export interface OAuthClient {
  apiBase: string;
  oauthBase: string;
  clientId: string;
  clientSecret: string;
}

/** `https://login.dnevnik.ru/oauth2?response_type=code&…`: where the administrator grants access. */
export function authorizeUrl(client: OAuthClient, scopes: readonly string[], redirectUri: string, state: string): string {
  const u = new URL(`${client.oauthBase}/oauth2`);
  u.searchParams.set('response_type', 'code');
  u.searchParams.set('client_id', client.clientId);
  u.searchParams.set('scope', scopes.join(','));
  u.searchParams.set('redirect_uri', redirectUri);
  u.searchParams.set('state', state);
  return u.toString();
}

function toStored(t: WireToken, now: Date): StoredToken {
  return { accessToken: t.accessToken, refreshToken: t.refreshToken, expiresAt: new Date(now.getTime() + t.expiresIn * 1000).toISOString(), userId: t.user_str, scope: t.scope };
}

async function tokenRequest(client: OAuthClient, body: string): Promise<WireToken> {
  const response = await axios
    .post<string>(`${client.apiBase}/authorizations`, body, {
      responseType: 'text',
      transformResponse: (d) => d,
      validateStatus: () => true,
      timeout: 20_000,
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
    })
    .catch((cause) => {
      const f = classifyFailure({ networkCode: (cause as { code?: string }).code });
      throw new EjsyncError(f.code, { cause, detail: 'POST /authorizations' });
    });
  if (response.status >= 200 && response.status < 300) {
    let answer: unknown;
    try {
      answer = parseWireJson(response.data);
    } catch (cause) {
      throw new EjsyncError('dnevnik.unexpected_response', { cause, detail: 'POST /authorizations: ответ не JSON' });
    }
    return checkShape(tokenSchema, answer, { method: 'POST', path: '/authorizations' });
  }
  const f = classifyFailure({ status: response.status, contentType: String(response.headers['content-type'] ?? ''), body: response.data });
  // A refused code or refresh token means the grant is gone, whatever the envelope says.
  const code = response.status === 400 || response.status === 401 || response.status === 403 ? 'dnevnik.reconnect_needed' : f.code;
  throw new EjsyncError(code, { detail: `POST /authorizations — ${f.detail ?? `HTTP ${response.status}`}`, retryable: f.retryable, status: response.status });
}

/** Exchanges the authorization code for a token pair. */
export async function exchangeCode(client: OAuthClient, code: string, now = new Date()): Promise<StoredToken> {
  const body = JSON.stringify({ code, client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'AuthorizationCode' });
  return toStored(await tokenRequest(client, body), now);
}

/** The body of a refresh, in the shape of the published clients (see {@link refreshTokens}). */
export function refreshRequestBody(client: Pick<OAuthClient, 'clientId' | 'clientSecret'>, refreshToken: string): string {
  return JSON.stringify({ client_id: client.clientId, client_secret: client.clientSecret, grant_type: 'RefreshToken', refreshToken });
}

/**
 * Refreshes; the platform rotates the refresh token, and the old pair stops working. Sent as the
 * published clients send it: `POST /authorizations` with a JSON body `{client_id, client_secret,
 * grant_type: "RefreshToken", refreshToken}` — the fields of the Swagger example body of
 * `Authorizations_PostTokenRequestCode` (Den4ikSuperOstryyPer4ik/SchoolMosregRuAPI) and of the
 * mobile client's `RefreshTokenRequest` (alllexey123/dnevnik-mobile-api).
 */
export async function refreshTokens(client: OAuthClient, refreshToken: string, now = new Date()): Promise<StoredToken> {
  return toStored(await tokenRequest(client, refreshRequestBody(client, refreshToken)), now);
}

/** One stored secret, locked while it changes (the store's secrets table). */
export interface SecretSlot {
  get(): Promise<string | null>;
  update(change: (current: string | null) => Promise<string>): Promise<string>;
}

/** Refresh this long before expiry. @defaultValue 5 minutes */
const EARLY_REFRESH_MS = 5 * 60_000;

/**
 * Access tokens for the client from the encrypted store: refreshed ahead of expiry and after an
 * `invalidToken`, the rotated pair written atomically under a lock so that parallel workers never
 * spend the same refresh token twice.
 */
export class DnevnikTokenVault implements AccessTokenSource {
  constructor(
    private readonly client: OAuthClient,
    private readonly slot: SecretSlot,
    private readonly now: () => Date = () => new Date(),
  ) {}

  private async current(): Promise<StoredToken> {
    const raw = await this.slot.get();
    if (!raw) throw new EjsyncError('dnevnik.token_missing');
    return JSON.parse(raw) as StoredToken;
  }

  async accessToken(): Promise<string> {
    const token = await this.current();
    if (Date.parse(token.expiresAt) - this.now().getTime() > EARLY_REFRESH_MS) return token.accessToken;
    return this.refresh(token.accessToken);
  }

  async refresh(rejected: string): Promise<string> {
    const raw = await this.slot.update(async (current) => {
      if (!current) throw new EjsyncError('dnevnik.token_missing');
      const token = JSON.parse(current) as StoredToken;
      // Someone else refreshed while we waited for the lock: use theirs.
      if (token.accessToken !== rejected && Date.parse(token.expiresAt) - this.now().getTime() > EARLY_REFRESH_MS) return current;
      return JSON.stringify(await refreshTokens(this.client, token.refreshToken, this.now()));
    });
    return (JSON.parse(raw) as StoredToken).accessToken;
  }
}
