import { membershipFromWire } from '../../../src/mappers/dnevnik/from-wire';
import type { WireEduGroup, WirePerson } from '../../../src/mappers/dnevnik/wire-types';

/** Дневник.ру marks a pupil who left a group `membershipstatus: Archive`, with no date. */
describe('a Дневник.ру group member with a membership status', () => {
  const group = { id_str: '9000000000000002001', name: '5А', type: 'Group', studyyear: 2026, parentIds_str: [] } as unknown as WireEduGroup;
  const person = { id_str: '9000000000000003001' } as unknown as WirePerson;

  it.each([
    ['Archive', true],
    ['archive', true],
    [' ARCHIVE ', true],
    ['Active', false],
    [null, false],
    [undefined, false],
  ])('%p → ended: %p', (status, ended) => {
    const m = membershipFromWire(group, person, status);
    expect(m.ended === true).toBe(ended);
    expect(m).toMatchObject({ pupilId: person.id_str, groupId: group.id_str, startDate: '2026-09-01' });
    expect(m.endDate).toBeUndefined();
  });
});
