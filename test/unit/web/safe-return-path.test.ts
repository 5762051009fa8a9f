import { MAX_RETURN_PATH_LENGTH, returnPathOrHome, safeReturnPath, type ReturnPathRefusal } from '../../../src/web/auth/safe-return-path';

// Values as the handler receives them: the query string already decoded once by the server.
const kept: [string, string][] = [
  ['a page', '/runs/42'],
  ['the home page', '/'],
  ['a query and a fragment', '/runs/42?status=failed&limit=50#manual'],
  ['an encoded query value with a space', '/?q=%D0%A1%D0%9E%D0%A8%205'],
  ['an encoded slash inside a segment', '/failures/dnevnik%2Frate_limited'],
  ['a colon after the first slash', '/javascript:alert(1)'],
  ['a dot segment', '/runs/../links'],
  ['the longest allowed', `/${'a'.repeat(MAX_RETURN_PATH_LENGTH - 1)}`],
];

const refused: [string, unknown, ReturnPathRefusal][] = [
  ['absent', undefined, 'missing'],
  ['empty', '', 'missing'],
  ['given twice (an array)', ['/a', '/b'], 'missing'],
  ['protocol-relative', '//evil.example', 'protocol_relative'],
  ['protocol-relative with a path', '//evil.example/runs', 'protocol_relative'],
  ['slash backslash', '/\\evil.example', 'protocol_relative'],
  ['backslash backslash', '\\\\evil.example', 'not_a_path'],
  ['a backslash later on', '/runs\\..\\evil', 'backslash'],
  ['encoded backslash', '/%5Cevil.example', 'protocol_relative'],
  ['encoded backslash, lower case', '/%5cevil.example', 'protocol_relative'],
  ['encoded slash after the slash', '/%2Fevil.example', 'protocol_relative'],
  ['double-encoded backslash', '/%255Cevil.example', 'protocol_relative'],
  ['double-encoded slash', '/%252Fevil.example', 'protocol_relative'],
  ['triple-encoded slash', '/%25252Fevil.example', 'protocol_relative'],
  ['encoded too deeply to look through', '/%2525252Fevil.example', 'too_deeply_encoded'],
  ['tab then slash (browsers drop the tab)', '/\t/evil.example', 'control_character'],
  ['encoded tab then slash', '/%09/evil.example', 'control_character'],
  ['new line (header injection)', '/\n', 'control_character'],
  ['encoded new line', '/%0A', 'control_character'],
  ['encoded CR LF with a header', '/%0D%0ASet-Cookie:x=1', 'control_character'],
  ['NUL', '/runs%00', 'control_character'],
  ['DEL', '/runs\x7f', 'control_character'],
  ['zero-width space', '/%E2%80%8B/evil.example', 'control_character'],
  ['a raw space', '/runs 1', 'whitespace'],
  ['an encoded space in the path', '/runs%201', 'whitespace'],
  ['encoded no-break space in the path', '/runs%C2%A01', 'whitespace'],
  ['absolute https URL', 'https://evil.example', 'not_a_path'],
  ['javascript: URL', 'javascript:alert(1)', 'not_a_path'],
  ['data: URL', 'data:text/html,<script>alert(1)</script>', 'not_a_path'],
  ['relative path', 'runs/42', 'not_a_path'],
  ['encoded leading slash', '%2F%2Fevil.example', 'not_a_path'],
  ['fullwidth slash', '/／evil.example', 'not_ascii'],
  ['encoded fullwidth slash', '/%EF%BC%8Fevil.example', 'slash_lookalike'],
  ['encoded fullwidth backslash', '/%EF%BC%BCevil.example', 'slash_lookalike'],
  ['encoded division slash', '/%E2%88%95evil.example', 'slash_lookalike'],
  ['encoded fraction slash', '/%E2%81%84evil.example', 'slash_lookalike'],
  ['raw Cyrillic', '/ссылки', 'not_ascii'],
  ['broken percent-encoding', '/runs%E0%A4%A', 'bad_encoding'],
  ['a lone percent sign', '/100%', 'bad_encoding'],
  ['very long', `/${'a'.repeat(MAX_RETURN_PATH_LENGTH)}`, 'too_long'],
  ['very, very long', `/${'%2F'.repeat(100_000)}`, 'too_long'],
];

describe('safeReturnPath: only a path on this site, else the home page', () => {
  it.each(kept)('keeps %s', (_name, value) => {
    expect(safeReturnPath(value)).toEqual({ path: value });
  });

  it.each(refused)('refuses %s', (_name, value, reason) => {
    expect(safeReturnPath(value)).toEqual({ path: '/', refused: reason });
  });

  it('anything it keeps stays on this origin and is a valid header value', () => {
    for (const [, value] of kept) {
      const { path } = safeReturnPath(value);
      expect(new URL(path, 'https://ejsync.school.example').origin).toBe('https://ejsync.school.example');
      expect(path).toMatch(/^\/(?![/\\])[\x21-\x7e]*$/);
    }
  });

  it('logs a refusal at debug with the reason and length only, and nothing for an absent value', () => {
    const logged: { details: object; message: string }[] = [];
    const log = { debug: (details: object, message: string) => logged.push({ details, message }) };
    expect(returnPathOrHome(undefined, log)).toBe('/');
    expect(returnPathOrHome('/runs/7', log)).toBe('/runs/7');
    expect(logged).toEqual([]);
    const hostile = '/%09/evil.example?snils=11223344595';
    expect(returnPathOrHome(hostile, log)).toBe('/');
    expect(logged).toEqual([{ details: { refused: 'control_character', length: hostile.length }, message: expect.any(String) }]);
    expect(JSON.stringify(logged)).not.toMatch(/evil|11223344595/);
  });
});
