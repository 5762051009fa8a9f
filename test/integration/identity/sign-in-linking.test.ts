import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { EsiaClient } from '../../../src/connectors/esia/esia-client';
import type { EmulatedPerson } from '../../../src/connectors/esia/emulator/esia-emulator-state';
import { OpensslGostSigner } from '../../../src/connectors/esia/signer/openssl-gost-signer';
import { emptySnapshot, snilsWithChecksum, type Snapshot } from '../../../src/model';
import { refreshPersonDirectory } from '../../../src/queue/refresh-person-directory';
import type { Store } from '../../../src/store';
import { esiaSignInPort } from '../../../src/web/auth/esia-sign-in';
import { recheckedSessions } from '../../../src/web/auth/rechecked-sessions';
import { applyRolesFile } from '../../../src/web/auth/role-config';
import { InMemorySessionStore } from '../../../src/web/auth/session-store';
import { SessionManager } from '../../../src/web/auth/sessions';
import { staticPrincipals } from '../../../src/web/auth/static-principals';
import { storePrincipals } from '../../../src/web/auth/store-principals';
import { storeSessions } from '../../../src/web/auth/store-sessions';
import { buildWebServer } from '../../../src/web/server';
import { CookieJar } from '../../helpers/cookie-jar';
import { freshStore } from '../../helpers/database';
import { startEsiaStand, type EsiaStand } from '../../helpers/esia-stand';

const snils = (nine: string) => snilsWithChecksum(nine);
const SNILS = { staff: snils('123456701'), untrusted: snils('123456702'), parent: snils('123456703'), kid: snils('123456704'), namesake: snils('123456705') };
const OID = { staff: '2000000001', untrusted: '2000000002', ambiguous: '2000000003', parent: '2000000004', namesake: '2000000005', kid: '2000000010', otherKid: '2000000011' };
const OPERATOR = { actorOid: '1000100001', actorName: 'Операторова М. И.' };

/** ЕСИА's side: real people with their accounts (fictional). */
const PERSONS: EmulatedPerson[] = [
  { oid: OID.staff, lastName: 'Кузнецова', firstName: 'Елена', middleName: 'Викторовна', birthDate: '1982-02-03', gender: 'F', snils: SNILS.staff, trusted: true },
  { oid: OID.untrusted, lastName: 'Новиков', firstName: 'Денис', birthDate: '1990-09-09', gender: 'M', snils: SNILS.untrusted, trusted: false },
  { oid: OID.ambiguous, lastName: 'Смирнов', firstName: 'Андрей', middleName: 'Олегович', birthDate: '1975-05-05', gender: 'M', trusted: true },
  { oid: OID.parent, lastName: 'Морозова', firstName: 'Ирина', birthDate: '1987-01-01', gender: 'F', snils: SNILS.parent, trusted: true, kids: [OID.kid] },
  { oid: OID.namesake, lastName: 'Волков', firstName: 'Игорь', birthDate: '1980-10-10', gender: 'M', snils: SNILS.namesake, trusted: true, kids: [OID.otherKid] },
  { oid: OID.kid, lastName: 'Морозов', firstName: 'Тимофей', birthDate: '2015-04-04', gender: 'M', snils: SNILS.kid, trusted: true },
  { oid: OID.otherKid, lastName: 'Волкова', firstName: 'Алиса', birthDate: '2016-06-06', gender: 'F', trusted: true },
];

/** The МИС side: what the school's export says (no oids — only СНИЛС and names). */
function schoolOne(): Snapshot {
  const s = emptySnapshot({ sourceId: 'school-1', name: 'МБОУ СОШ № 1', timeZone: 'Asia/Yekaterinburg' });
  s.staff.push(
    { sourceId: 't-kuz', lastName: 'Кузнецова', firstName: 'Елена', middleName: 'Викторовна', snils: SNILS.staff },
    { sourceId: 't-smi-1', lastName: 'Смирнов', firstName: 'Андрей', middleName: 'Олегович', birthDate: '1975-05-05' },
    { sourceId: 't-smi-2', lastName: 'СМИРНОВ', firstName: 'Андрей', middleName: 'Олегович', birthDate: '1975-05-05' },
  );
  s.pupils.push(
    { sourceId: 'p-1', lastName: 'Морозов', firstName: 'Тимофей', birthDate: '2015-04-04', snils: SNILS.kid },
    { sourceId: 'p-2', lastName: 'Морозова', firstName: 'Вера', birthDate: '2018-08-08' },
    { sourceId: 'p-3', lastName: 'Волков', firstName: 'Степан', birthDate: '2014-03-03' },
  );
  s.guardians.push(
    { sourceId: 'g-nov', lastName: 'Новиков', firstName: 'Денис', snils: SNILS.untrusted },
    { sourceId: 'g-mor', lastName: 'Морозова', firstName: 'Ирина', snils: SNILS.parent },
    { sourceId: 'g-vol', lastName: 'Волков', firstName: 'Игорь', snils: SNILS.namesake },
  );
  s.guardianLinks.push(
    { sourceId: 'gl-1', guardianId: 'g-mor', pupilId: 'p-1', relation: 'mother' },
    { sourceId: 'gl-2', guardianId: 'g-mor', pupilId: 'p-2', relation: 'mother' },
    { sourceId: 'gl-3', guardianId: 'g-vol', pupilId: 'p-3', relation: 'father' },
  );
  return s;
}

function schoolTwo(): Snapshot {
  const s = emptySnapshot({ sourceId: 'school-2', name: 'МБОУ СОШ № 2', timeZone: 'Asia/Yekaterinburg' });
  s.staff.push({ sourceId: 't-kuz-2', lastName: 'Кузнецова', firstName: 'Елена', snils: SNILS.staff });
  return s;
}

describe('sign-in links the ЕСИА person to school records (emulator, real GOST, real PostgreSQL)', () => {
  let store: Store;
  let cleanupStore: () => Promise<void>;
  let stand: EsiaStand;
  let app: FastifyInstance;
  let base: string;
  let dir: string;
  let rolesFile: string;

  beforeAll(async () => {
    ({ store, cleanup: cleanupStore } = await freshStore('postgres'));
    const probe = await buildWebServer({
      sessions: new SessionManager(new InMemorySessionStore()),
      esia: { authorizationUrl: async () => ({ url: '', state: '' }), finishSignIn: async () => Promise.reject(new Error('x')), logoutUrl: () => '' },
      principals: staticPrincipals([]),
    });
    await probe.listen({ port: 0, host: '127.0.0.1' });
    const port = (probe.server.address() as { port: number }).port;
    await probe.close();
    base = `http://127.0.0.1:${port}`;
    stand = await startEsiaStand(`${base}/auth/esia/callback`, undefined, {
      persons: PERSONS,
      allowUnconfirmed: true,
      scope: 'openid fullname birthdate snils kid_fullname kid_birthdate kid_snils',
    });
    app = await buildWebServer({
      sessions: new SessionManager(recheckedSessions(storeSessions(store), store.access), { secureCookie: false }),
      esia: esiaSignInPort(stand.client),
      principals: storePrincipals(store, { logger: { warn: (obj: unknown) => void failures.push(obj) } }),
    });
    await app.listen({ port, host: '127.0.0.1' });

    // The planning job's refresh after reading each school's МИС export.
    await refreshPersonDirectory(store, 'school-1', schoolOne());
    await refreshPersonDirectory(store, 'school-2', schoolTwo());

    // Roles by configuration: the roles file.
    dir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-roles-'));
    rolesFile = path.join(dir, 'roles.json');
    writeFileSync(
      rolesFile,
      JSON.stringify({
        assignments: [
          { oid: OID.staff, role: 'school_admin', schools: ['school-1'] },
          { oid: OID.ambiguous, role: 'viewer', schools: ['school-1'] },
        ],
      }),
    );
    expect((await applyRolesFile(store, rolesFile))?.added).toHaveLength(2);
  });

  const failures: unknown[] = [];

  afterAll(async () => {
    await app?.close();
    await stand?.close();
    await cleanupStore();
    rmSync(dir, { recursive: true, force: true });
  });

  afterEach(() => {
    expect(failures).toEqual([]);
  });

  /** Goes through the emulator's login page as `oid`; returns ejsync's answer to the callback. */
  async function signIn(oid: string, jar = new CookieJar()): Promise<{ jar: CookieJar; final: Response }> {
    const start = await jar.fetch(`${base}/auth/esia/login?returnTo=%2Fapi%2Fsession`);
    const esiaUrl = start.headers.get('location')!;
    const html = await (await fetch(esiaUrl)).text();
    const login = /name="login" value="([^"]+)"/.exec(html)![1];
    const answer = await fetch(new URL('/aas/oauth2/v2/ac/login', esiaUrl), { method: 'POST', body: new URLSearchParams({ login, oid }), redirect: 'manual' });
    expect(answer.status).toBe(302);
    const final = await jar.fetch(answer.headers.get('location')!);
    return { jar, final };
  }

  const rows = (oid: string) =>
    store.db.selectFrom('people_links').select(['kind', 'school_id', 'source_id', 'matched_by', 'status', 'reason', 'decided_by']).where('oid', '=', oid).orderBy('school_id').orderBy('source_id').execute();
  const auditOf = async (oid: string) => (await store.audit.list({ limit: 500 })).filter((a) => a.objectType === 'people_link' && a.objectId === oid).reverse();

  it('a confirmed account matched by СНИЛС is linked in every school; its role stays scoped to the assigned school', async () => {
    const { jar, final } = await signIn(OID.staff);
    expect(final.status).toBe(302);
    expect(await rows(OID.staff)).toEqual([
      { kind: 'staff', school_id: 'school-1', source_id: 't-kuz', matched_by: 'snils', status: 'linked', reason: null, decided_by: 'system' },
      { kind: 'staff', school_id: 'school-2', source_id: 't-kuz-2', matched_by: 'snils', status: 'linked', reason: null, decided_by: 'system' },
    ]);
    const session = await (await jar.fetch(`${base}/api/session`)).json();
    // Linked as staff in school-2 too, but administrator only where assigned.
    expect(session.principal).toEqual({ oid: OID.staff, displayName: 'Кузнецова Елена Викторовна', roles: ['school_admin'], schoolIds: ['school-1'] });
    expect((await auditOf(OID.staff)).filter((a) => a.action === 'identity.linked').map((a) => [a.schoolId, a.details])).toEqual([
      ['school-1', { kind: 'staff', sourceId: 't-kuz', matchedBy: 'snils' }],
      ['school-2', { kind: 'staff', sourceId: 't-kuz-2', matchedBy: 'snils' }],
    ]);
  });

  it('an unconfirmed account is not linked: the match waits for an operator and is in the audit trail', async () => {
    const { final } = await signIn(OID.untrusted);
    expect(final.status).toBe(403);
    expect(await rows(OID.untrusted)).toEqual([{ kind: 'guardian', school_id: 'school-1', source_id: 'g-nov', matched_by: 'snils', status: 'pending', reason: 'untrusted', decided_by: 'system' }]);
    expect(await store.peopleLinks.linksOf(OID.untrusted)).toEqual([]);
    expect((await auditOf(OID.untrusted)).map((a) => [a.action, a.actorOid, a.details?.reason])).toEqual([['identity.link_held', 'system', 'untrusted']]);
  });

  it('two records with the same name and birth date are held for an operator, who decides (audited); sign-in then respects it', async () => {
    const { jar } = await signIn(OID.ambiguous);
    expect((await (await jar.fetch(`${base}/api/session`)).json()).principal).toMatchObject({ roles: ['viewer'], schoolIds: ['school-1'] });
    expect((await rows(OID.ambiguous)).map((r) => [r.source_id, r.matched_by, r.status, r.reason])).toEqual([
      ['t-smi-1', 'name_birthdate', 'pending', 'ambiguous'],
      ['t-smi-2', 'name_birthdate', 'pending', 'ambiguous'],
    ]);
    const pending = (await store.peopleLinks.listPending({ schoolIds: ['school-1'] })).filter((p) => p.oid === OID.ambiguous);
    expect(pending.map((p) => p.sourceId)).toEqual(['t-smi-1', 't-smi-2']);

    await store.peopleLinks.confirm(pending[0], OPERATOR, 'табельный номер сверен');
    await store.peopleLinks.reject(pending[1], OPERATOR, 'другой сотрудник');
    await signIn(OID.ambiguous);
    expect((await rows(OID.ambiguous)).map((r) => [r.source_id, r.status, r.decided_by])).toEqual([
      ['t-smi-1', 'linked', OPERATOR.actorOid],
      ['t-smi-2', 'rejected', OPERATOR.actorOid],
    ]);
    expect((await auditOf(OID.ambiguous)).map((a) => [a.action, a.actorOid, a.details?.sourceId])).toEqual([
      ['identity.link_held', 'system', 't-smi-1'],
      ['identity.link_held', 'system', 't-smi-2'],
      ['identity.link_confirmed', OPERATOR.actorOid, 't-smi-1'],
      ['identity.link_rejected', OPERATOR.actorOid, 't-smi-2'],
    ]);
  });

  it('a parent whose ЕСИА children include a pupil of the record is linked with their children; linking alone grants no access', async () => {
    const first = await signIn(OID.parent);
    expect(first.final.status).toBe(403);
    expect(await rows(OID.parent)).toEqual([{ kind: 'guardian', school_id: 'school-1', source_id: 'g-mor', matched_by: 'snils', status: 'linked', reason: null, decided_by: 'system' }]);
    expect((await auditOf(OID.parent))[0].details).toEqual({ kind: 'guardian', sourceId: 'g-mor', matchedBy: 'snils', childrenConfirmed: true });
    expect(await store.peopleLinks.childrenOf(OID.parent)).toEqual([
      { schoolId: 'school-1', pupilId: 'p-1' },
      { schoolId: 'school-1', pupilId: 'p-2' },
    ]);

    await store.access.assign(OID.parent, 'viewer', 'school-1', OPERATOR.actorOid, OPERATOR);
    const { jar } = await signIn(OID.parent);
    expect((await (await jar.fetch(`${base}/api/session`)).json()).principal).toMatchObject({
      roles: ['viewer'],
      schoolIds: ['school-1'],
      children: [
        { schoolId: 'school-1', pupilId: 'p-1' },
        { schoolId: 'school-1', pupilId: 'p-2' },
      ],
    });
  });

  it('a namesake parent whose ЕСИА children are not the record’s is held for an operator', async () => {
    await signIn(OID.namesake);
    expect(await rows(OID.namesake)).toEqual([{ kind: 'guardian', school_id: 'school-1', source_id: 'g-vol', matched_by: 'snils', status: 'pending', reason: 'children_mismatch', decided_by: 'system' }]);
    expect(await store.peopleLinks.childrenOf(OID.namesake)).toEqual([]);
  });

  it('roles are checked on every request: a role removed from the roles file ends the session at the next request', async () => {
    const { jar } = await signIn(OID.staff);
    expect((await jar.fetch(`${base}/api/session`)).status).toBe(200);
    writeFileSync(rolesFile, JSON.stringify({ assignments: [{ oid: OID.ambiguous, role: 'viewer', schools: ['school-1', 'school-2'] }] }));
    const changed = await applyRolesFile(store, rolesFile);
    expect(changed?.removed).toEqual([{ oid: OID.staff, role: 'school_admin', schoolId: 'school-1' }]);
    expect((await jar.fetch(`${base}/api/session`)).status).toBe(401);
    // …and a widened assignment is seen at once by a session already open.
    const viewer = await signIn(OID.ambiguous);
    await store.access.assign(OID.ambiguous, 'school_admin', 'school-2', OPERATOR.actorOid, OPERATOR);
    expect((await (await viewer.jar.fetch(`${base}/api/session`)).json()).principal).toMatchObject({ roles: ['school_admin', 'viewer'], schoolIds: ['school-2', 'school-1'] });
  });

  it('names, СНИЛС and birth dates of the people never reach the database', async () => {
    const dump = JSON.stringify([
      await store.db.selectFrom('person_directory').selectAll().execute(),
      await store.db.selectFrom('people_links').selectAll().execute(),
      await store.db.selectFrom('audit').selectAll().where('actor_oid', '=', 'system').execute(),
    ]).toLowerCase();
    for (const p of PERSONS) {
      expect(dump).not.toContain(p.lastName.toLowerCase());
      expect(dump).not.toContain(p.birthDate);
      if (p.snils) expect(dump).not.toContain(p.snils);
    }
  });

  it('ЕСИА gives children only with a kid_* scope (the client then reads none)', async () => {
    const client = new EsiaClient({ config: { ...stand.config, scope: 'openid fullname snils' }, signer: new OpensslGostSigner({ keyFile: stand.config.signer.kind === 'openssl' ? stand.config.signer.keyFile : '' }) });
    const { url, state } = await client.authorizationUrl();
    const html = await (await fetch(url)).text();
    const login = /name="login" value="([^"]+)"/.exec(html)![1];
    const answer = await fetch(new URL('/aas/oauth2/v2/ac/login', url), { method: 'POST', body: new URLSearchParams({ login, oid: OID.parent }), redirect: 'manual' });
    const signIn = await client.finishSignIn(new URL(answer.headers.get('location')!), state);
    expect(await client.fetchKids(signIn.accessToken, signIn.oid)).toBeNull();
    const withKids = await stand.client.authorizationUrl();
    const html2 = await (await fetch(withKids.url)).text();
    const login2 = /name="login" value="([^"]+)"/.exec(html2)![1];
    const answer2 = await fetch(new URL('/aas/oauth2/v2/ac/login', withKids.url), { method: 'POST', body: new URLSearchParams({ login: login2, oid: OID.parent }), redirect: 'manual' });
    const signIn2 = await stand.client.finishSignIn(new URL(answer2.headers.get('location')!), withKids.state);
    expect(await stand.client.fetchKids(signIn2.accessToken, signIn2.oid)).toEqual([{ lastName: 'Морозов', firstName: 'Тимофей', middleName: undefined, birthDate: '2015-04-04', snils: `123-456-704 ${SNILS.kid.slice(9)}` }]);
  });
});
