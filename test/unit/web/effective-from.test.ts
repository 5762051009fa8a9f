import { effectiveFromText, notYetInEffect } from '../../../src/web/views/effective-from';

describe('when an accepted change takes effect, as the school reads it', () => {
  it('a receipt day takes effect at its start; a date-time shows in the school zone', () => {
    expect(effectiveFromText('2026-11-23', 'Asia/Yekaterinburg')).toBe('23.11.2026 00:00');
    expect(effectiveFromText('2026-11-22T19:00:00Z', 'Asia/Yekaterinburg')).toBe('23.11.2026 00:00');
    expect(effectiveFromText('2026-11-22T19:00:00Z', 'Europe/Moscow')).toBe('22.11.2026 22:00');
  });

  it('is ahead until that day begins in the school zone', () => {
    // 23:30 in Perm on the 22nd is still before the 23rd; in UTC it is already the 22nd 18:30.
    const now = new Date('2026-11-22T18:30:00Z');
    expect(notYetInEffect('2026-11-23', now, 'Asia/Yekaterinburg')).toBe(true);
    expect(notYetInEffect('2026-11-22', now, 'Asia/Yekaterinburg')).toBe(false);
    expect(notYetInEffect('2026-11-23', new Date('2026-11-22T19:30:00Z'), 'Asia/Yekaterinburg')).toBe(false);
  });
});
