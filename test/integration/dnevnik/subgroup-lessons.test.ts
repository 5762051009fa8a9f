import axios from 'axios';
import { idMapFromEntries, plan, type PlannedChange } from '../../../src/reconcile';
import type { ResolvedChange } from '../../../src/model';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

type Stand = Awaited<ReturnType<typeof startDnevnikStand>>;
const FROM = '2026-11-01';
const TO = '2026-11-30';

async function applyAll(stand: Stand, changes: PlannedChange[], ids: Map<string, string>) {
  for (const c of changes) {
    const after = c.after ? JSON.parse(JSON.stringify(c.after, (k, v) => (typeof v === 'string' && ids.has(v) && k !== 'sourceId' ? ids.get(v) : v))) : undefined;
    ids.set(c.sourceId, (await stand.connector.apply({ id: c.id, entity: c.entity, op: c.op, sourceId: c.sourceId, targetId: c.targetId, before: c.before, after } as ResolvedChange)).targetId);
  }
}

/** The ids of the lessons a class's own answer lists. */
async function classAnswer(stand: Stand, classId: string): Promise<string[]> {
  const { data } = await axios.get<{ id_str: string }[]>(`${stand.emulator.apiBase}/edu-groups/${classId}/lessons/${FROM}/${TO}`, { headers: { 'Access-Token': stand.token.accessToken } });
  return data.map((l) => l.id_str);
}

/** Issue 15 point 7: whether a class's answers include its subgroups' is not silently assumed. */
describe('Дневник.ру subgroup lessons: the connector reads them whether a class’s answer includes them or not', () => {
  it.each([
    ['included in the class’s answers (the default, as one published client documents)', true],
    ['not included: each subgroup answers for itself', false],
  ])('%s', async (_name, included) => {
    const stand = await startDnevnikStand({ pupils: 30, seed: 'subgroups', emulator: { classAnswersIncludeSubgroups: included } });
    try {
      const subgroup = stand.platform.subgroups.find((g) => stand.platform.lessons.some((l) => l.groupId === g.sourceId && l.date >= FROM && l.date <= TO))!;
      const subgroupLessons = stand.platform.lessons.filter((l) => l.groupId === subgroup.sourceId && l.date >= FROM && l.date <= TO).map((l) => l.sourceId);
      const answer = await classAnswer(stand, subgroup.classId);
      if (included) expect(answer).toEqual(expect.arrayContaining(subgroupLessons));
      else expect(answer.filter((id) => subgroupLessons.includes(id))).toEqual([]);

      stand.emulator.state.requests.length = 0;
      const read1 = await stand.connector.readSnapshot({ schoolId: stand.platform.school.sourceId, from: FROM, to: TO });
      const inWindow = stand.platform.lessons.filter((l) => l.date >= FROM && l.date <= TO);
      expect(new Set(read1.snapshot.lessons.map((l) => l.sourceId))).toEqual(new Set(inWindow.map((l) => l.sourceId)));
      expect(read1.snapshot.lessons.find((l) => l.sourceId === subgroupLessons[0])).toMatchObject({ groupId: subgroup.sourceId, groupKind: 'subgroup' });
      // Subgroups are asked on their own only when the class's answer left them out.
      const askedSubgroup = stand.emulator.state.requests.some((r) => r.path.startsWith(`/v2/edu-groups/${subgroup.sourceId}/lessons/`));
      expect(askedSubgroup).toBe(!included);

      const first = plan(stand.source, read1.snapshot, idMapFromEntries([]), { capabilities: stand.connector.capabilities, comparableFields: stand.connector.comparableFields, comparison: stand.connector.comparison });
      await applyAll(stand, first.changes, new Map(first.matches.map((m) => [m.sourceId, m.targetId])));
      expect([...stand.emulator.state.marks.values()].some((m) => stand.emulator.state.groupParent.has(m.groupId))).toBe(true);
      const read2 = await stand.connector.readSnapshot({ schoolId: stand.platform.school.sourceId, from: FROM, to: TO });
      const second = plan(stand.source, read2.snapshot, idMapFromEntries(first.matches.map((m) => ({ entity: m.entity, sourceId: m.sourceId, targetId: m.targetId }))), {
        capabilities: stand.connector.capabilities,
        comparableFields: stand.connector.comparableFields,
        comparison: stand.connector.comparison,
      });
      expect(second.changes).toEqual([]);
    } finally {
      await stand.emulator.close();
    }
  });
});
