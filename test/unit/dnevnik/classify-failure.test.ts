import { classifyFailure, retryAfterMs, type FailedExchange } from '../../../src/connectors/dnevnik/classify-failure';

const json = (type: string, description = '…') => JSON.stringify({ type, description });
const JSON_CT = 'application/json; charset=utf-8';
const HTML = '<!DOCTYPE html><html><body><div class="error__description"><p>Ведутся технические работы</p></div></body></html>';

describe('classifyFailure: every answer of Дневник.ру → code, retry, wait, refresh', () => {
  it.each<[string, FailedExchange, { code: string; retryable: boolean; waitMs?: number; auth?: boolean }]>([
    ['apiRequestLimit with Retry-After', { status: 429, contentType: JSON_CT, body: json('apiRequestLimit'), retryAfter: '7' }, { code: 'dnevnik.rate_limited', retryable: true, waitMs: 7000 }],
    ['apiRequestLimit without a wait', { status: 403, contentType: JSON_CT, body: json('apiRequestLimit') }, { code: 'dnevnik.rate_limited', retryable: true }],
    ['bare 429', { status: 429 }, { code: 'dnevnik.rate_limited', retryable: true }],
    ['433 (the platform’s own throttle)', { status: 433, body: '' }, { code: 'dnevnik.rate_limited', retryable: true }],
    ['invalidToken', { status: 401, contentType: JSON_CT, body: json('invalidToken') }, { code: 'dnevnik.reconnect_needed', retryable: false, auth: true }],
    ['authorizationFailed', { status: 401, contentType: JSON_CT, body: json('authorizationFailed') }, { code: 'dnevnik.reconnect_needed', retryable: false, auth: true }],
    ['bare 401', { status: 401 }, { code: 'dnevnik.reconnect_needed', retryable: false, auth: true }],
    ['authorizationOutOfScope', { status: 403, contentType: JSON_CT, body: json('authorizationOutOfScope') }, { code: 'dnevnik.out_of_scope', retryable: false }],
    ['ownerForbidden', { status: 403, contentType: JSON_CT, body: json('ownerForbidden') }, { code: 'dnevnik.forbidden', retryable: false }],
    ['bare 403', { status: 403 }, { code: 'dnevnik.forbidden', retryable: false }],
    ['parameterInvalid', { status: 400, contentType: JSON_CT, body: json('parameterInvalid') }, { code: 'dnevnik.parameter_invalid', retryable: false }],
    ['apiResourceUnavailable', { status: 404, contentType: JSON_CT, body: json('apiResourceUnavailable') }, { code: 'dnevnik.not_found', retryable: false }],
    ['bare 404', { status: 404 }, { code: 'dnevnik.not_found', retryable: false }],
    ['JSON 405 methodNotSupported', { status: 405, contentType: JSON_CT, body: json('apiMethodNotSupported') }, { code: 'dnevnik.method_not_supported', retryable: false }],
    ['HTML 405 is the maintenance page', { status: 405, contentType: 'text/html', body: HTML }, { code: 'dnevnik.maintenance', retryable: true }],
    ['HTML 503 with Retry-After', { status: 503, contentType: 'text/html', body: HTML, retryAfter: '30' }, { code: 'dnevnik.maintenance', retryable: true, waitMs: 30_000 }],
    ['HTML 550 "Server Work"', { status: 550, contentType: 'text/html', body: HTML }, { code: 'dnevnik.maintenance', retryable: true }],
    ['HTML page with a JSON content type', { status: 502, contentType: JSON_CT, body: HTML }, { code: 'dnevnik.maintenance', retryable: true }],
    ['HTML 500', { status: 500, contentType: 'text/html', body: HTML }, { code: 'dnevnik.server_error', retryable: true }],
    ['apiServerError', { status: 500, contentType: JSON_CT, body: json('apiServerError') }, { code: 'dnevnik.server_error', retryable: true }],
    ['apiUnknownError', { status: 500, contentType: JSON_CT, body: json('apiUnknownError') }, { code: 'dnevnik.server_error', retryable: true }],
    ['bare 502', { status: 502 }, { code: 'dnevnik.server_error', retryable: true }],
    ['unknown envelope type on 400', { status: 400, contentType: JSON_CT, body: json('somethingNew') }, { code: 'dnevnik.parameter_invalid', retryable: false }],
    ['418', { status: 418, body: 'teapot' }, { code: 'dnevnik.unexpected_response', retryable: false }],
    ['timeout', { networkCode: 'ECONNABORTED' }, { code: 'dnevnik.timeout', retryable: true }],
    ['ETIMEDOUT', { networkCode: 'ETIMEDOUT' }, { code: 'dnevnik.timeout', retryable: true }],
    ['connection reset', { networkCode: 'ECONNRESET' }, { code: 'dnevnik.connection_failed', retryable: true }],
    ['connection refused', { networkCode: 'ECONNREFUSED' }, { code: 'dnevnik.connection_failed', retryable: true }],
  ])('%s', (_name, exchange, expected) => {
    const got = classifyFailure(exchange);
    expect({ code: got.code, retryable: got.retryable, ...(got.waitMs !== undefined ? { waitMs: got.waitMs } : {}), ...(got.auth ? { auth: true } : {}) }).toEqual(expected);
  });

  // Every error type of the published taxonomy (SchoolMosregRuAPI school_mosreg_api/exceptions.py,
  // long and short forms) has its own code: none falls through to the status-only guess.
  it.each([
    ['invalidRequest', 'dnevnik.parameter_invalid'],
    ['parameterInvalid', 'dnevnik.parameter_invalid'],
    ['apiResourceUnavailable', 'dnevnik.not_found'],
    ['resourceUnavailable', 'dnevnik.not_found'],
    ['apiMethodNotSupported', 'dnevnik.method_not_supported'],
    ['methodNotSupported', 'dnevnik.method_not_supported'],
    ['apiRequestLimit', 'dnevnik.rate_limited'],
    ['requestLimit', 'dnevnik.rate_limited'],
    ['apiServerError', 'dnevnik.server_error'],
    ['serverError', 'dnevnik.server_error'],
    ['unknownError', 'dnevnik.server_error'],
    ['apiHttpsRequired', 'dnevnik.https_required'],
    ['httpsRequired', 'dnevnik.https_required'],
    ['authorizationInvalidToken', 'dnevnik.reconnect_needed'],
    ['invalidToken', 'dnevnik.reconnect_needed'],
    ['authorizationTokenRequired', 'dnevnik.reconnect_needed'],
    ['tokenRequired', 'dnevnik.reconnect_needed'],
    ['authorizationOutOfScope', 'dnevnik.out_of_scope'],
    ['outOfScope', 'dnevnik.out_of_scope'],
    ['authorizationNotOwner', 'dnevnik.forbidden'],
    ['notOwner', 'dnevnik.forbidden'],
    ['authorizationOwnerForbidden', 'dnevnik.forbidden'],
    ['ownerForbidden', 'dnevnik.forbidden'],
    ['authorizationSystemForbidden', 'dnevnik.forbidden'],
    ['systemForbidden', 'dnevnik.forbidden'],
  ])('published error type %s → %s, whatever the HTTP status', (type, code) => {
    expect(classifyFailure({ status: 418, contentType: JSON_CT, body: json(type) }).code).toBe(code);
  });

  it('keeps the platform’s own words from envelopes and HTML pages', () => {
    expect(classifyFailure({ status: 400, contentType: JSON_CT, body: json('parameterInvalid', 'Неверная дата') }).detail).toBe('Неверная дата');
    expect(classifyFailure({ status: 503, contentType: 'text/html', body: HTML }).detail).toBe('Ведутся технические работы');
  });

  it('reads Retry-After as seconds or as an HTTP date', () => {
    expect(retryAfterMs('2')).toBe(2000);
    expect(retryAfterMs('Wed, 25 Nov 2026 12:00:10 GMT', Date.parse('2026-11-25T12:00:00Z'))).toBe(10_000);
    expect(retryAfterMs('soon')).toBeUndefined();
  });
});
