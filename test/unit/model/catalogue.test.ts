import { allCodes, catalogueEntry, EjsyncError, makeFinding } from '../../../src/model';

describe('error catalogue', () => {
  it('every code is dotted, with a Russian message and hint', () => {
    const codes = allCodes();
    expect(codes.length).toBeGreaterThan(30);
    for (const code of codes) {
      const e = catalogueEntry(code);
      expect(code).toMatch(/^[a-z]+(\.[a-z0-9_]+)+$/);
      expect(e.message).toMatch(/[А-Яа-яЁё]/);
      expect(e.hint).toMatch(/[А-Яа-яЁё]/);
      expect(['error', 'warning']).toContain(e.severity);
    }
  });

  it('errors and findings carry the code, message and cause', () => {
    const cause = new Error('disk');
    const err = new EjsyncError('input.not_found', { cause, detail: '/tmp/x' });
    expect(err.code).toBe('input.not_found');
    expect(err.message).toBe('Путь не найден: /tmp/x');
    expect(err.cause).toBe(cause);
    const f = makeFinding('mis.duplicate_source_id', { file: 'pupils.csv', row: 3, field: 'id' });
    expect(f).toMatchObject({ severity: 'error', file: 'pupils.csv', row: 3, field: 'id' });
    expect(f.hint).toMatch(/уникален/);
  });
});
