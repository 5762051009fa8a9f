import { MisRecordCollector } from '../../../src/connectors/mis-csv/record-collector';
import { MIS_FILES } from '../../../src/connectors/mis-csv';

const spec = (file: string) => MIS_FILES.find((f) => f.file === file)!;

function collector() {
  const c = new MisRecordCollector();
  c.accept(spec('school.csv'), 1, { id: 's1', name: 'Школа № 1', time_zone: 'Asia/Yekaterinburg' });
  c.accept(spec('academic-years.csv'), 1, { id: 'y26', name: '2026/2027', start_date: '2026-09-01', end_date: '2027-08-31' });
  return c;
}
const pupil = (id: string, extra: Record<string, string> = {}) => ({ id, last_name: 'Иванов', first_name: 'Иван', birth_date: '2015-02-01', ...extra });

describe('МИС records: what a bad value costs', () => {
  it('a bad optional value drops that field, keeps the record and says so', () => {
    const c = collector();
    c.accept(spec('pupils.csv'), 1, pupil('p1', { snils: '112-233-445 00', phone: '☎', middle_name: 'Иванович' }));
    const snap = c.snapshot(true)!;
    expect(snap.pupils).toEqual([{ sourceId: 'p1', lastName: 'Иванов', firstName: 'Иван', middleName: 'Иванович', birthDate: '2015-02-01' }]);
    expect(c.rejectedFields).toEqual({ pupils: { p1: ['snils', 'phone'] } });
    expect(c.findings.map((f) => [f.code, f.field, f.sourceId])).toEqual([
      ['mis.invalid_snils', 'snils', 'p1'],
      ['mis.invalid_value', 'phone', 'p1'],
    ]);
    expect(c.rejected).toEqual({});
  });

  it('a bad required value or reference rejects the record whole, and its id is remembered', () => {
    const c = collector();
    c.accept(spec('pupils.csv'), 1, pupil('p1', { last_name: '' }));
    c.accept(spec('pupils.csv'), 2, pupil('p2'));
    c.accept(spec('memberships.csv'), 1, { id: 'm1', pupil_id: 'p2', group_id: 'c-none', group_kind: 'class', start_date: '2026-09-01' });
    expect(c.snapshot(true)!.pupils.map((p) => p.sourceId)).toEqual(['p2']);
    expect(c.rejected).toEqual({ pupils: ['p1'], memberships: ['m1'] });
  });

  it('two rows with one id: neither is used', () => {
    const c = collector();
    c.accept(spec('pupils.csv'), 1, pupil('p1'));
    c.accept(spec('pupils.csv'), 2, pupil('p1', { last_name: 'Петров' }));
    c.accept(spec('pupils.csv'), 3, pupil('p1', { last_name: 'Сидоров' }));
    expect(c.snapshot(true)!.pupils).toEqual([]);
    expect(c.rejected.pupils).toEqual(['p1']);
    expect(c.findings.filter((f) => f.code === 'mis.duplicate_source_id')).toHaveLength(2);
  });

  it.each([
    ['2031-05-01', /возраст -5/],
    ['1800-01-01', /1900–2100/],
    ['2024-01-01', /возраст 2, ожидается 3–25/],
    ['1999-01-01', /возраст 27/],
  ])('an implausible birth date %s rejects the pupil', (date, detail) => {
    const c = collector();
    c.accept(spec('pupils.csv'), 1, pupil('p1', { birth_date: date }));
    expect(c.snapshot(true)!.pupils).toEqual([]);
    expect(c.findings[0]).toMatchObject({ code: 'mis.implausible_date', field: 'birth_date', sourceId: 'p1' });
    expect(c.findings[0].message).toMatch(detail);
  });

  it('an order date far from the school year is dropped as implausible; a plausible one is kept', () => {
    const c = collector();
    c.accept(spec('pupils.csv'), 1, pupil('p1'));
    c.accept(spec('classes.csv'), 1, { id: 'c1', academic_year_id: 'y26', grade: '5', letter: 'А', name: '5А' });
    const m = (id: string, orderDate: string) => ({ id, pupil_id: 'p1', group_id: 'c1', group_kind: 'class', start_date: '2026-09-01', order_date: orderDate });
    c.accept(spec('memberships.csv'), 1, m('m1', '2031-09-01'));
    c.accept(spec('memberships.csv'), 2, m('m2', '2026-08-28'));
    const snap = c.snapshot(true)!;
    expect(snap.memberships.map((x) => [x.sourceId, x.orderDate])).toEqual([['m1', undefined], ['m2', '2026-08-28']]);
    expect(c.rejectedFields).toEqual({ memberships: { m1: ['orderDate'] } });
  });
});
