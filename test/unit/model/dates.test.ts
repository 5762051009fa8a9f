import { isIsoDate, localDateOf, instantFromLocal, isoDayOfWeek, addDays, isTimeZone } from '../../../src/model';

describe('dates', () => {
  it('accepts only real calendar dates', () => {
    expect(isIsoDate('2026-02-28')).toBe(true);
    expect(isIsoDate('2026-02-29')).toBe(false);
    expect(isIsoDate('2028-02-29')).toBe(true);
    expect(isIsoDate('01.09.2026')).toBe(false);
  });

  it('decides "the day" in the school zone (Perm is UTC+5)', () => {
    const instant = new Date('2026-09-01T20:30:00Z');
    expect(localDateOf(instant, 'Asia/Yekaterinburg')).toBe('2026-09-02');
    expect(localDateOf(instant, 'Europe/Moscow')).toBe('2026-09-01');
  });

  it('reads offset-less platform timestamps as school-local', () => {
    expect(instantFromLocal('2026-09-01T08:30:00', 'Asia/Yekaterinburg').toISOString()).toBe('2026-09-01T03:30:00.000Z');
    expect(instantFromLocal('2026-09-01T08:30:00.1234567', 'Europe/Moscow').toISOString()).toBe('2026-09-01T05:30:00.123Z');
  });

  it('weekdays and arithmetic', () => {
    expect(isoDayOfWeek('2026-09-01')).toBe(2);
    expect(isoDayOfWeek('2026-09-06')).toBe(7);
    expect(addDays('2026-08-31', 1)).toBe('2026-09-01');
    expect(isTimeZone('Asia/Yekaterinburg')).toBe(true);
    expect(isTimeZone('Mars/Olympus')).toBe(false);
  });
});
