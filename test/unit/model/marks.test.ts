import { normalizeMarkValue, markNumericValue, parseAttendanceCode, parseClassName, markSchema } from '../../../src/model';

describe('mark values', () => {
  it.each([
    ['5', '5'],
    ['4-', '4-'],
    ['4−', '4-'],
    ['3+', '3+'],
    ['Зачёт', 'зач'],
    ['н/а', 'н/а'],
    ['осв.', 'осв'],
    ['6', null],
    ['отл', null],
  ])('%s → %s', (raw, expected) => {
    expect(normalizeMarkValue(raw)).toBe(expected);
  });

  it('numeric part', () => {
    expect(markNumericValue('4-')).toBe(4);
    expect(markNumericValue('зач')).toBeNull();
  });

  it('a current mark needs a work', () => {
    const base = { sourceId: 'm1', pupilId: 'p1', subjectId: 's1', groupId: 'g1', value: '5', date: '2026-09-10' };
    expect(markSchema.safeParse({ ...base, kind: 'current' }).success).toBe(false);
    expect(markSchema.safeParse({ ...base, kind: 'current', workId: 'w1' }).success).toBe(true);
    expect(markSchema.safeParse({ ...base, kind: 'quarter' }).success).toBe(false);
  });
});

describe('attendance codes and class names', () => {
  it.each([
    ['Н', 'absent'],
    ['н', 'absent'],
    ['H', 'absent'],
    ['П', 'excused'],
    ['Б', 'ill'],
    ['ОП', 'late'],
    ['X', null],
  ])('%s → %s', (raw, expected) => {
    expect(parseAttendanceCode(raw)).toBe(expected);
  });

  it('parses class names', () => {
    expect(parseClassName('5А')).toEqual({ grade: 5, letter: 'А' });
    expect(parseClassName('11 б')).toEqual({ grade: 11, letter: 'Б' });
    expect(parseClassName('12А')).toBeNull();
  });
});
