import { isValidSnils, normalizeSnils, snilsWithChecksum, maskSnils, snilsSchema } from '../../../src/model';

describe('СНИЛС', () => {
  it.each([
    ['112-233-445 95', true],
    ['11223344595', true],
    ['112-233-445 96', false],
    ['087-654-303 00', true],
    ['1122334459', false],
    ['abc', false],
  ])('%s valid = %s', (value, valid) => {
    expect(isValidSnils(value)).toBe(valid);
  });

  it('generates numbers whose checksum verifies', () => {
    for (const body of ['123456789', '987654321', '555000111', '100200300']) {
      expect(isValidSnils(snilsWithChecksum(body))).toBe(true);
    }
  });

  it('normalises and masks', () => {
    expect(normalizeSnils('112 233 445 95')).toBe('11223344595');
    expect(maskSnils('112-233-445 95')).toBe('***-***-445 95');
  });

  it('schema reports a Russian message for a bad checksum', () => {
    const r = snilsSchema.safeParse('112-233-445 96');
    expect(r.success).toBe(false);
    expect(r.error!.issues[0].message).toMatch(/контрольная сумма/);
  });
});
