import axios from 'axios';
import { idMapFromEntries, plan, type PlannedChange } from '../../../src/reconcile';
import type { ResolvedChange } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;
const scope = (stand: Stand) => ({ schoolId: stand.platform.school.sourceId, from: '2026-11-01', to: '2026-11-30' });
const options = (stand: Stand) => ({ capabilities: stand.connector.capabilities, comparableFields: stand.connector.comparableFields, comparison: stand.connector.comparison });

async function applyAll(stand: Stand, changes: PlannedChange[], ids: Map<string, string>) {
  for (const c of changes) {
    const after = c.after ? JSON.parse(JSON.stringify(c.after, (k, v) => (typeof v === 'string' && ids.has(v) && k !== 'sourceId' ? ids.get(v) : v))) : undefined;
    const outcome = await stand.connector.apply({ id: c.id, entity: c.entity, op: c.op, sourceId: c.sourceId, targetId: c.targetId, before: c.before, after } as ResolvedChange);
    ids.set(c.sourceId, outcome.targetId);
  }
}

/** Issue 15 point 3: the published Person has no birthday; the User (login account) has. */
describe('Дневник.ру birth dates are read from login accounts (users/many), not from persons', () => {
  let stand: Stand;
  beforeAll(async () => {
    stand = await startDnevnikStand({ pupils: 40, seed: 'birthdays' });
  });
  afterAll(() => stand?.emulator.close());

  it('persons come without a birthday, as published; users/many answers the birthday of each account', async () => {
    const classId = stand.platform.classes[0].sourceId;
    const headers = { 'Access-Token': stand.token.accessToken, 'Content-Type': 'application/json' };
    const { data: groups } = await axios.post<string>(`${stand.emulator.apiBase}/edu-groups`, `[${classId}]`, { headers, responseType: 'text', transformResponse: (d) => d });
    expect(groups).toContain('"userId_str":"');
    expect(groups).not.toContain('birthday');
    const pupil = stand.platform.pupils.find((p) => stand.platform.memberships.some((m) => m.groupId === classId && m.pupilId === p.sourceId))!;
    const userId = stand.emulator.state.users.get(pupil.sourceId)!;
    const { data: users } = await axios.post<string>(`${stand.emulator.apiBase}/users/many`, `[${userId}]`, { headers, responseType: 'text', transformResponse: (d) => d });
    expect(users).toContain(`"birthday":"${pupil.birthDate}T00:00:00"`);
    expect(users).toContain(`"personId_str":"${pupil.sourceId}"`);
  });

  it('a second plan after a sync raises no pupil update (every birth date read back as in the МИС)', async () => {
    const read1 = await stand.connector.readSnapshot(scope(stand));
    expect(read1.findings.filter((f) => f.code === 'dnevnik.birth_date_unknown')).toEqual([]);
    const bySource = new Map(stand.source.pupils.map((p) => [p.sourceId, p]));
    const idOfPupil = (id: string) => stand.idOf.get(`pupils/${id}`);
    for (const p of read1.snapshot.pupils) {
      const source = stand.source.pupils.find((s) => idOfPupil(s.sourceId) === p.sourceId)!;
      expect(p.birthDate).toBe(bySource.get(source.sourceId)!.birthDate);
    }
    const first = plan(stand.source, read1.snapshot, idMapFromEntries([]), options(stand));
    expect(first.manualActions.filter((a) => a.entity === 'pupils')).toEqual([]);
    await applyAll(stand, first.changes, new Map(first.matches.map((m) => [m.sourceId, m.targetId])));
    const read2 = await stand.connector.readSnapshot(scope(stand));
    const second = plan(stand.source, read2.snapshot, idMapFromEntries(first.matches.map((m) => ({ entity: m.entity, sourceId: m.sourceId, targetId: m.targetId }))), options(stand));
    expect(second.changes).toEqual([]);
    expect(second.manualActions.filter((a) => a.entity === 'pupils')).toEqual([]);
  });

  it('a pupil without a login account: the birth date is unknown — a warning, never a manual update', async () => {
    const pupil = stand.platform.pupils[3];
    const userId = stand.emulator.state.users.get(pupil.sourceId)!;
    stand.emulator.state.users.delete(pupil.sourceId);
    try {
      const read = await stand.connector.readSnapshot(scope(stand));
      expect(read.snapshot.pupils.find((p) => p.sourceId === pupil.sourceId)?.birthDate).toBeUndefined();
      const unknown = read.findings.filter((f) => f.code === 'dnevnik.birth_date_unknown');
      expect(unknown).toHaveLength(1);
      expect(unknown[0]).toMatchObject({ severity: 'warning', entity: 'pupils' });
      expect(unknown[0].message).toContain(`1 из ${read.snapshot.pupils.length}`);
      // A later run: the pupils are linked by the id map already.
      const linked = idMapFromEntries(stand.source.pupils.map((p) => ({ entity: 'pupils' as const, sourceId: p.sourceId, targetId: stand.idOf.get(`pupils/${p.sourceId}`)! })));
      const planned = plan(stand.source, read.snapshot, linked, options(stand));
      expect(planned.manualActions.filter((a) => a.entity === 'pupils' && a.op === 'update')).toEqual([]);
      // Without the rule that an unknown platform value is not compared, that pupil would be a manual update.
      const naive = plan(stand.source, read.snapshot, linked, { ...options(stand), comparison: { ...stand.connector.comparison, platformOmits: {} } });
      expect(naive.manualActions.filter((a) => a.entity === 'pupils' && a.op === 'update').map((a) => a.changedFields)).toEqual([['birthDate']]);
    } finally {
      stand.emulator.state.users.set(pupil.sourceId, userId);
    }
  });
});
