import { identityKeys, type PersonKeyFields } from '../../../src/reconcile/identity/identity-keys';
import { linkPerson, type LinkCandidate, type PersonToLink } from '../../../src/reconcile/identity/link-person';

const admin: PersonKeyFields = { lastName: 'Админов', firstName: 'Сергей', middleName: 'Петрович', birthDate: '1979-11-02', snils: '112-233-445 95' };
const person = (over: Partial<PersonKeyFields> = {}, trusted = true): PersonToLink => ({ oid: '1000100002', trusted, keys: identityKeys({ ...admin, ...over }) });
const staff = (fields: Partial<PersonKeyFields>, over: Partial<LinkCandidate> = {}): LinkCandidate => ({
  kind: 'staff',
  schoolId: 's1',
  sourceId: 'st1',
  keys: identityKeys({ lastName: 'Админов', firstName: 'Сергей', middleName: 'Петрович', ...fields }),
  ...over,
});

describe('identity keys', () => {
  it('СНИЛС in any spelling gives the same 11 digits; an unreadable one gives no key', () => {
    expect(identityKeys({ ...admin, snils: '112 233 445 95' }).snils).toBe('11223344595');
    expect(identityKeys({ ...admin, snils: '112-233' }).snils).toBeUndefined();
  });

  it('the name key folds case, ё and spaces and carries the birth date; no birth date, no name key', () => {
    expect(identityKeys({ lastName: 'ФЁДОРОВ ', firstName: 'Пётр', birthDate: '2000-01-02' }).nameBirth).toBe('федоров петр|2000-01-02');
    expect(identityKeys({ lastName: 'Фёдоров', firstName: 'Пётр' }).nameBirth).toBeUndefined();
  });
});

describe('linking an ЕСИА sign-in to school records', () => {
  it('oid first, even for an untrusted account', () => {
    const r = linkPerson(person({}, false), [staff({}, { esiaOid: '1000100002', sourceId: 'a' }), staff({ snils: '11223344595' }, { sourceId: 'b' })]);
    expect(r).toMatchObject({ status: 'linked', by: 'oid' });
    expect(r.candidates.map((c) => c.sourceId)).toEqual(['a']);
  });

  it('then СНИЛС in any spelling, across schools', () => {
    const r = linkPerson(person(), [staff({ snils: '11223344595' }, { schoolId: 's1' }), staff({ snils: '112 233 445 95' }, { schoolId: 's2', sourceId: 'x' })]);
    expect(r).toMatchObject({ status: 'linked', by: 'snils' });
    expect(r.candidates).toHaveLength(2);
  });

  it('then full name + birth date, ё and case folded', () => {
    const r = linkPerson(person({ snils: undefined }), [staff({ birthDate: '1979-11-02', lastName: 'АДМИНОВ' }), staff({ birthDate: '1980-01-01' }, { sourceId: 'z' })]);
    expect(r).toMatchObject({ status: 'linked', by: 'name_birthdate' });
    expect(r.candidates.map((c) => c.sourceId)).toEqual(['st1']);
  });

  it('a name without the same birth date is nobody', () => {
    expect(linkPerson(person({ snils: undefined }), [staff({ birthDate: '1980-01-01' })]).status).toBe('none');
  });

  it('two records of one school and kind with the same key are ambiguous, never guessed', () => {
    const r = linkPerson(person({ snils: undefined }), [staff({ birthDate: '1979-11-02' }), staff({ birthDate: '1979-11-02' }, { sourceId: 'st2' })]);
    expect(r).toMatchObject({ status: 'ambiguous', by: 'name_birthdate' });
    expect(r.candidates.map((c) => c.sourceId)).toEqual(['st1', 'st2']);
  });

  it('staff and guardian records of one person in one school are not ambiguous', () => {
    const r = linkPerson(person(), [staff({ snils: '11223344595' }), staff({ snils: '11223344595' }, { kind: 'guardian', sourceId: 'g1' })]);
    expect(r.status).toBe('linked');
  });

  it('an unconfirmed account is not linked automatically by СНИЛС or name, and says by what it matched', () => {
    expect(linkPerson(person({}, false), [staff({ snils: '11223344595' })])).toMatchObject({ status: 'untrusted', by: 'snils' });
  });

  it('nobody matches', () => {
    expect(linkPerson(person(), [staff({ lastName: 'Другой', birthDate: '1979-11-02' })]).status).toBe('none');
  });

  it('works the same on opaque keys (the store compares keyed hashes)', () => {
    const hashed: PersonToLink = { oid: '1', trusted: true, keys: { snils: 'h-snils', nameBirth: 'h-name' } };
    const r = linkPerson(hashed, [{ kind: 'guardian', schoolId: 's1', sourceId: 'g1', keys: { nameBirth: 'h-name' } }]);
    expect(r).toMatchObject({ status: 'linked', by: 'name_birthdate' });
  });
});
