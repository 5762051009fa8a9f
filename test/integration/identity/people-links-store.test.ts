import type { PeopleLinkDecision, Store } from '../../../src/store';
import { freshStore, type StoreKind } from '../../helpers/database';

const OPERATOR = { actorOid: '1000100001', actorName: 'Операторова М. И.' };
const link = (over: Partial<PeopleLinkDecision> = {}): PeopleLinkDecision => ({ kind: 'staff', schoolId: 'school-1', sourceId: 't1', matchedBy: 'snils', status: 'linked', ...over });

describe.each<StoreKind>(['postgres', 'pglite'])('people links and role assignments on %s', (kind) => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeAll(async () => {
    ({ store, cleanup } = await freshStore(kind));
  });
  afterAll(async () => cleanup());

  const auditOf = async (oid: string) => (await store.audit.list({ limit: 1000 })).filter((a) => a.objectId === oid).map((a) => a.action).reverse();

  it('records links once; a repeated sign-in changes and audits nothing', async () => {
    const first = await store.peopleLinks.record('501', [link()]);
    expect(first).toEqual([expect.objectContaining({ oid: '501', status: 'linked', matchedBy: 'snils', decidedBy: 'system' })]);
    expect(await store.peopleLinks.record('501', [link()])).toEqual([]);
    expect(await auditOf('501')).toEqual(['identity.linked']);
    expect((await store.peopleLinks.linksOf('501')).map((l) => l.sourceId)).toEqual(['t1']);
  });

  it('a held link follows new evidence until an operator decides; then sign-ins never change it', async () => {
    await store.peopleLinks.record('502', [link({ status: 'pending', reason: 'untrusted' })]);
    expect(await store.peopleLinks.linksOf('502')).toEqual([]);
    // The account got confirmed: the system's own pending link becomes a link.
    expect(await store.peopleLinks.record('502', [link()])).toEqual([expect.objectContaining({ status: 'linked' })]);
    // A second record now matches: the system's link is held again.
    await store.peopleLinks.record('502', [link({ status: 'pending', reason: 'ambiguous' }), link({ sourceId: 't9', status: 'pending', reason: 'ambiguous' })]);
    expect((await store.peopleLinks.listPending()).filter((p) => p.oid === '502').map((p) => [p.sourceId, p.reason])).toEqual([
      ['t1', 'ambiguous'],
      ['t9', 'ambiguous'],
    ]);
    await store.peopleLinks.confirm({ oid: '502', kind: 'staff', schoolId: 'school-1', sourceId: 't1' }, OPERATOR, 'сверено по приказу о приёме');
    await store.peopleLinks.reject({ oid: '502', kind: 'staff', schoolId: 'school-1', sourceId: 't9' }, OPERATOR);
    expect(await store.peopleLinks.record('502', [link({ status: 'pending', reason: 'ambiguous' }), link({ sourceId: 't9', status: 'linked' })])).toEqual([]);
    expect((await store.peopleLinks.linksOf('502')).map((l) => [l.sourceId, l.decidedBy])).toEqual([['t1', OPERATOR.actorOid]]);
    expect((await store.peopleLinks.linksOf('502', 'rejected')).map((l) => l.sourceId)).toEqual(['t9']);
    expect((await store.peopleLinks.listPending()).filter((p) => p.oid === '502')).toEqual([]);
    expect(await auditOf('502')).toEqual(['identity.link_held', 'identity.linked', 'identity.link_held', 'identity.link_held', 'identity.link_confirmed', 'identity.link_rejected']);
    const confirmed = (await store.audit.list()).find((a) => a.action === 'identity.link_confirmed' && a.objectId === '502')!;
    expect(confirmed).toMatchObject({ actorOid: OPERATOR.actorOid, schoolId: 'school-1', details: { kind: 'staff', sourceId: 't1', previous: 'pending', heldFor: 'ambiguous', reason: 'сверено по приказу о приёме' } });
  });

  it('pending links are listed per school for school-bound views', async () => {
    await store.peopleLinks.record('503', [link({ schoolId: 'school-2', kind: 'guardian', sourceId: 'g1', status: 'pending', reason: 'children_mismatch' })]);
    expect((await store.peopleLinks.listPending({ schoolIds: ['school-2'] })).map((p) => [p.oid, p.kind, p.reason])).toEqual([['503', 'guardian', 'children_mismatch']]);
    expect(await store.peopleLinks.listPending({ schoolIds: [] })).toEqual([]);
  });

  it('deciding an unknown link is store.not_found', async () => {
    await expect(store.peopleLinks.confirm({ oid: '1', kind: 'staff', schoolId: 'x', sourceId: 'y' }, OPERATOR)).rejects.toMatchObject({ code: 'store.not_found' });
  });

  it('a linked guardian’s children come from the current directory', async () => {
    await store.personDirectory.replaceSchool('school-3', [
      { kind: 'guardian', sourceId: 'g7', keys: { snils: '11223344595' }, children: [{ pupilId: 'p2', keys: {} }, { pupilId: 'p1', keys: {} }] },
      { kind: 'guardian', sourceId: 'g8', keys: { snils: '11223344596' }, children: [{ pupilId: 'p3', keys: {} }] },
    ]);
    await store.peopleLinks.record('504', [link({ schoolId: 'school-3', kind: 'guardian', sourceId: 'g7' }), link({ schoolId: 'school-3', kind: 'guardian', sourceId: 'g8', status: 'pending', reason: 'ambiguous' })]);
    expect(await store.peopleLinks.childrenOf('504')).toEqual([
      { schoolId: 'school-3', pupilId: 'p1' },
      { schoolId: 'school-3', pupilId: 'p2' },
    ]);
  });

  it('configured roles: exactly the file’s, operators’ assignments untouched, every change audited', async () => {
    await store.access.assign('601', 'viewer', 'school-1', OPERATOR.actorOid, OPERATOR);
    let r = await store.access.syncConfigured([
      { oid: '600', role: 'operator', schoolId: null },
      { oid: '601', role: 'school_admin', schoolId: 'school-1' },
      { oid: '601', role: 'viewer', schoolId: 'school-1' },
    ]);
    expect(r.added.map((a) => `${a.oid}/${a.role}`)).toEqual(['600/operator', '601/school_admin']);
    expect(await store.access.rolesOf('601')).toEqual([
      { role: 'school_admin', schoolId: 'school-1' },
      { role: 'viewer', schoolId: 'school-1' },
    ]);
    r = await store.access.syncConfigured([{ oid: '600', role: 'operator', schoolId: null }]);
    expect(r).toEqual({ added: [], removed: [{ oid: '601', role: 'school_admin', schoolId: 'school-1' }] });
    // The operator's viewer assignment survives the file dropping it.
    expect(await store.access.rolesOf('601')).toEqual([{ role: 'viewer', schoolId: 'school-1' }]);
    expect((await store.access.list()).find((a) => a.oid === '600')).toMatchObject({ assignedBy: 'config' });
    expect(await auditOf('601')).toEqual(['role.assigned', 'role.assigned', 'role.revoked']);
    expect(await store.access.syncConfigured([{ oid: '600', role: 'operator', schoolId: null }])).toEqual({ added: [], removed: [] });
  });
});
