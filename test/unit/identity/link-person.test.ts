import { linkPerson, type EsiaPerson, type LinkCandidate } from '../../../src/reconcile/identity/link-person';

const person: EsiaPerson = { oid: '1000100002', lastName: 'Админов', firstName: 'Сергей', middleName: 'Петрович', birthDate: '1979-11-02', snils: '112-233-445 95', trusted: true };
const staff = (over: Partial<LinkCandidate>): LinkCandidate => ({ kind: 'staff', schoolId: 's1', sourceId: 'st1', lastName: 'Админов', firstName: 'Сергей', middleName: 'Петрович', ...over });

describe('linking an ЕСИА sign-in to school records', () => {
  it('oid first, even for an untrusted account', () => {
    const r = linkPerson({ ...person, trusted: false }, [staff({ esiaOid: '1000100002', sourceId: 'a' }), staff({ snils: '11223344595', sourceId: 'b' })]);
    expect(r).toMatchObject({ status: 'linked', by: 'oid' });
    expect(r.candidates.map((c) => c.sourceId)).toEqual(['a']);
  });

  it('then СНИЛС in any spelling, across schools', () => {
    const r = linkPerson(person, [staff({ snils: '11223344595', schoolId: 's1' }), staff({ snils: '112 233 445 95', schoolId: 's2', sourceId: 'x' })]);
    expect(r).toMatchObject({ status: 'linked', by: 'snils' });
    expect(r.candidates).toHaveLength(2);
  });

  it('then full name + birth date, ё folded', () => {
    const r = linkPerson({ ...person, snils: undefined, lastName: 'Админов' }, [staff({ birthDate: '1979-11-02', lastName: 'АДМИНОВ' }), staff({ birthDate: '1980-01-01', sourceId: 'z' })]);
    expect(r).toMatchObject({ status: 'linked', by: 'name_birthdate' });
    expect(r.candidates.map((c) => c.sourceId)).toEqual(['st1']);
  });

  it('two records of one school with the same name are ambiguous, never guessed', () => {
    const r = linkPerson({ ...person, snils: undefined }, [staff({ birthDate: '1979-11-02' }), staff({ birthDate: '1979-11-02', sourceId: 'st2' })]);
    expect(r.status).toBe('ambiguous');
  });

  it('an unconfirmed account is not linked automatically by СНИЛС or name', () => {
    expect(linkPerson({ ...person, trusted: false }, [staff({ snils: '11223344595' })]).status).toBe('untrusted');
  });

  it('nobody matches', () => {
    expect(linkPerson(person, [staff({ lastName: 'Другой', birthDate: '1979-11-02' })]).status).toBe('none');
  });
});
