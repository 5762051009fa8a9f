import { identityKeys } from '../../../src/reconcile/identity/identity-keys';
import { linkDecisions } from '../../../src/reconcile/identity/link-decisions';
import { linkPerson, type LinkCandidate, type PersonToLink } from '../../../src/reconcile/identity/link-person';

const mother = { lastName: 'Петрова', firstName: 'Анна', middleName: 'Сергеевна', birthDate: '1984-03-12', snils: '11223344595' };
const kid = { lastName: 'Петров', firstName: 'Илья', birthDate: '2014-05-01' };
const otherKid = { lastName: 'Сидоров', firstName: 'Олег', birthDate: '2013-02-02' };
const guardian = (over: Partial<LinkCandidate> = {}): LinkCandidate => ({
  kind: 'guardian',
  schoolId: 's1',
  sourceId: 'g1',
  keys: identityKeys(mother),
  children: [{ pupilId: 'p1', keys: identityKeys(kid) }],
  ...over,
});
const signIn = (trusted = true): PersonToLink => ({ oid: '1000323031', trusted, keys: identityKeys(mother) });

describe('what a sign-in records', () => {
  it('a confirmed match is linked with how it matched', () => {
    expect(linkDecisions(linkPerson(signIn(), [guardian()]))).toEqual([{ kind: 'guardian', schoolId: 's1', sourceId: 'g1', matchedBy: 'snils', status: 'linked' }]);
  });

  it('ambiguous and unconfirmed matches wait for an operator, with the reason', () => {
    const ambiguous = linkDecisions(linkPerson(signIn(), [guardian(), guardian({ sourceId: 'g2' })]));
    expect(ambiguous.map((d) => [d.sourceId, d.status, d.reason])).toEqual([
      ['g1', 'pending', 'ambiguous'],
      ['g2', 'pending', 'ambiguous'],
    ]);
    expect(linkDecisions(linkPerson(signIn(false), [guardian()]))).toEqual([expect.objectContaining({ status: 'pending', reason: 'untrusted', matchedBy: 'snils' })]);
  });

  it('nobody matched → nothing recorded', () => {
    expect(linkDecisions(linkPerson(signIn(), [guardian({ keys: identityKeys(otherKid) })]))).toEqual([]);
  });

  it('ЕСИА children that include the record’s child confirm a guardian match', () => {
    const [d] = linkDecisions(linkPerson(signIn(), [guardian()]), [identityKeys(otherKid), identityKeys({ ...kid, lastName: 'ПЕТРОВ' })]);
    expect(d).toMatchObject({ status: 'linked', childrenConfirmed: true });
  });

  it('ЕСИА children that are all someone else’s hold the guardian match for an operator', () => {
    const [d] = linkDecisions(linkPerson(signIn(), [guardian()]), [identityKeys(otherKid)]);
    expect(d).toMatchObject({ status: 'pending', reason: 'children_mismatch', childrenConfirmed: false });
  });

  it('the cross-check does not apply without ЕСИА children, to staff, or to an oid match', () => {
    expect(linkDecisions(linkPerson(signIn(), [guardian()]), [])[0]).toEqual(expect.not.objectContaining({ childrenConfirmed: expect.anything() }));
    expect(linkDecisions(linkPerson(signIn(), [guardian({ kind: 'staff', children: [] })]), [identityKeys(otherKid)])[0].status).toBe('linked');
    const byOid = linkDecisions(linkPerson(signIn(), [guardian({ esiaOid: '1000323031' })]), [identityKeys(otherKid)]);
    expect(byOid[0]).toEqual({ kind: 'guardian', schoolId: 's1', sourceId: 'g1', matchedBy: 'oid', status: 'linked' });
  });
});
