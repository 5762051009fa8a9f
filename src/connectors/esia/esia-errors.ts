import { EjsyncError, type ErrorCode } from '../../model';

const BY_ESIA_CODE: Record<string, ErrorCode> = {
  'ESIA-007014': 'esia.missing_parameter',
  'ESIA-007003': 'esia.missing_parameter',
  'ESIA-007053': 'esia.client_secret_wrong',
  'ESIA-007011': 'esia.invalid_grant',
  'ESIA-007015': 'esia.clock_skew',
  'ESIA-007055': 'esia.unconfirmed_account',
  'ESIA-007005': 'esia.unauthorized_client',
  'ESIA-007002': 'esia.unauthorized_client',
  'ESIA-007004': 'esia.access_denied',
  'ESIA-007023': 'esia.redirect_uri_not_allowed',
};

/** The `ESIA-0070xx` code at the start of an `error_description`, if any. */
export function esiaCodeOf(description: string | undefined | null): string | null {
  const m = /ESIA-\d{6}/.exec(description ?? '');
  return m ? m[0] : null;
}

/**
 * Maps an ЕСИА error (`error`, `error_description` with its `ESIA-0070xx` prefix) onto the
 * catalogue. The ЕСИА code stays in the detail so support can look it up.
 */
export function esiaError(error: string | undefined, description: string | undefined, cause?: unknown): EjsyncError {
  const esiaCode = esiaCodeOf(description);
  const code: ErrorCode = (esiaCode && BY_ESIA_CODE[esiaCode]) || (error === 'access_denied' ? 'esia.access_denied' : 'esia.error');
  const detail = [esiaCode, error].filter(Boolean).join(', ');
  return new EjsyncError(code, { cause, detail: detail || undefined });
}
