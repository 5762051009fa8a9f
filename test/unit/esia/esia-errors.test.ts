import { esiaCodeOf, esiaError } from '../../../src/connectors/esia/esia-errors';

describe('ЕСИА errors → catalogue', () => {
  it.each([
    ['invalid_request', "ESIA-007014: The request doesn't contain the mandatory parameter [client_certificate_hash]", 'esia.missing_parameter'],
    ['access_denied', 'ESIA-007053: OAuthErrorEnum.clientSecretWrong', 'esia.client_secret_wrong'],
    ['invalid_grant', 'ESIA-007011: The provided authorization grant is invalid', 'esia.invalid_grant'],
    ['invalid_request', 'ESIA-007015: Wrong request time', 'esia.clock_skew'],
    ['access_denied', 'ESIA-007055: Вход с неподтвержденной учетной записью', 'esia.unconfirmed_account'],
    ['unauthorized_client', 'ESIA-007005: Client is not authorized', 'esia.unauthorized_client'],
    ['access_denied', 'ESIA-007004: denied', 'esia.access_denied'],
    ['invalid_request', 'ESIA-007023: Invalid redirect_uri', 'esia.redirect_uri_not_allowed'],
    ['server_error', 'ESIA-007007: Unexpected internal error', 'esia.error'],
    ['access_denied', undefined, 'esia.access_denied'],
  ])('%s / %s → %s', (error, description, code) => {
    const e = esiaError(error, description);
    expect(e.code).toBe(code);
    expect(e.message).toMatch(/[А-Яа-я]/);
    if (description) expect(e.message).toContain(esiaCodeOf(description)!);
  });

  it('only the ESIA-NNNNNN prefix counts', () => {
    expect(esiaCodeOf('ESIA-007053: x')).toBe('ESIA-007053');
    expect(esiaCodeOf('no code')).toBeNull();
  });
});
