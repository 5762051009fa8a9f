import { esiaTimestamp, parseEsiaTimestamp } from '../../../src/connectors/esia/esia-timestamp';
import { authorizationSignedString, tokenCodeSignedString, tokenRefreshSignedString } from '../../../src/connectors/esia/signed-strings';

const parts = {
  clientId: 'ELSH01721',
  scope: 'openid fullname snils',
  scopeOrg: '',
  timestamp: '2025.09.02 13:00:29 +0300',
  state: '0f8fad5b-d9cb-469f-a165-70867728950e',
  redirectUri: 'https://ejsync.school.example/auth/esia/callback',
};

describe('ЕСИА signed strings (byte for byte as documented)', () => {
  it('v2/ac: client_id + scope + scope_org + timestamp + state + redirect_uri', () => {
    expect(authorizationSignedString(parts)).toBe(
      'ELSH01721openid fullname snils2025.09.02 13:00:29 +03000f8fad5b-d9cb-469f-a165-70867728950ehttps://ejsync.school.example/auth/esia/callback',
    );
  });

  it('v3/te authorization_code: the same plus code', () => {
    expect(tokenCodeSignedString({ ...parts, code: 'eyJ2ZXIiOjF9.code' })).toBe(
      'ELSH01721openid fullname snils2025.09.02 13:00:29 +03000f8fad5b-d9cb-469f-a165-70867728950ehttps://ejsync.school.example/auth/esia/callbackeyJ2ZXIiOjF9.code',
    );
  });

  it('v3/te refresh: no code; scope_org sits between scope and timestamp', () => {
    expect(tokenRefreshSignedString({ ...parts, scopeOrg: 'org_emps' })).toBe(
      'ELSH01721openid fullname snilsorg_emps2025.09.02 13:00:29 +03000f8fad5b-d9cb-469f-a165-70867728950ehttps://ejsync.school.example/auth/esia/callback',
    );
  });

  it('timestamp is yyyy.MM.dd HH:mm:ss ±hhmm in the configured zone', () => {
    const instant = new Date('2025-09-02T10:00:29Z');
    expect(esiaTimestamp(instant, 'Europe/Moscow')).toBe('2025.09.02 13:00:29 +0300');
    expect(esiaTimestamp(instant, 'Asia/Yekaterinburg')).toBe('2025.09.02 15:00:29 +0500');
    expect(esiaTimestamp(instant, 'UTC')).toBe('2025.09.02 10:00:29 +0000');
    expect(parseEsiaTimestamp('2025.09.02 13:00:29 +0300')!.toISOString()).toBe('2025-09-02T10:00:29.000Z');
    expect(parseEsiaTimestamp('2025-09-02 13:00:29')).toBeNull();
  });
});
