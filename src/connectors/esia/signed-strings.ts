/**
 * The exact strings ЕСИА's v2/v3 endpoints expect signed (research: esia.md §2–3). Parameter
 * values are concatenated with no separators, in this order; `scope_org` is empty when unused.
 */
export interface SignedParts {
  clientId: string;
  /** Space-separated scopes, exactly as sent. */
  scope: string;
  /** @defaultValue empty string */
  scopeOrg?: string;
  timestamp: string;
  state: string;
  redirectUri: string;
}

/** `/aas/oauth2/v2/ac`: client_id + scope + scope_org + timestamp + state + redirect_uri. */
export function authorizationSignedString(p: SignedParts): string {
  return `${p.clientId}${p.scope}${p.scopeOrg ?? ''}${p.timestamp}${p.state}${p.redirectUri}`;
}

/** `/aas/oauth2/v3/te`, authorization_code: the same plus `code` (with a fresh state). */
export function tokenCodeSignedString(p: SignedParts & { code: string }): string {
  return `${authorizationSignedString(p)}${p.code}`;
}

/** `/aas/oauth2/v3/te`, refresh_token: the authorization string, no code. */
export function tokenRefreshSignedString(p: SignedParts): string {
  return authorizationSignedString(p);
}
