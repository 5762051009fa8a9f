import { plan, idMapFromEntries, type PlannedChange } from '../../../src/reconcile';
import type { ResolvedChange } from '../../../src/model';
import type { IdTwins } from '../../../src/connectors/dnevnik/emulator';
import { startDnevnikStand } from '../../helpers/dnevnik-stand';

const scope = (schoolId: string) => ({ schoolId, from: '2026-11-01', to: '2026-11-30' });

/** Applies planned creates in order, translating source ids to platform ids as they appear. */
async function applyAll(changes: PlannedChange[], apply: (c: ResolvedChange) => Promise<{ targetId: string }>, ids: Map<string, string>) {
  for (const c of changes) {
    const after = c.after ? JSON.parse(JSON.stringify(c.after, (k, v) => (typeof v === 'string' && ids.has(v) && k !== 'sourceId' ? ids.get(v) : v))) : undefined;
    const outcome = await apply({ id: c.id, entity: c.entity, op: c.op, sourceId: c.sourceId, targetId: c.targetId, before: c.before, after } as ResolvedChange);
    ids.set(c.sourceId, outcome.targetId);
  }
}

describe('Дневник.ру emulator: plan → apply → re-plan is empty', () => {
  // Id twins as the published models carry them (default), none at all (ids only as 64-bit numbers), every one (the old shape).
  it.each<[string, IdTwins | undefined, number]>([
    ['published twins (default)', undefined, 60],
    ['no twins at all', 'none', 30],
    ['every twin (old shape)', 'all', 30],
  ])('%s: a generated school reaches the platform and a second plan has nothing to write', async (_name, idTwins, pupils) => {
    const stand = await startDnevnikStand({ pupils, emulator: idTwins ? { idTwins } : {} });
    try {
      const read1 = await stand.connector.readSnapshot(scope(stand.platform.school.sourceId));
      expect(read1.snapshot.pupils.length).toBe(pupils);
      expect(read1.snapshot.marks.length).toBe(0);
      const first = plan(stand.source, read1.snapshot, idMapFromEntries([]), { capabilities: stand.connector.capabilities, comparableFields: stand.connector.comparableFields });
      const creates = first.changes.filter((c) => c.op === 'create');
      expect(creates.map((c) => c.entity).sort()).toEqual(expect.arrayContaining(['attendance', 'marks', 'works']));
      expect(first.changes.every((c) => ['works', 'marks', 'attendance'].includes(c.entity))).toBe(true);

      // Platform ids of matched records (pupils, lessons, …) for translation.
      const ids = new Map(first.matches.map((m) => [m.sourceId, m.targetId]));
      await applyAll(first.changes, (c) => stand.connector.apply(c), ids);
      const writes = stand.emulator.state.writes.length;
      expect(writes).toBe(first.changes.length);

      const read2 = await stand.connector.readSnapshot(scope(stand.platform.school.sourceId));
      expect(read2.snapshot.marks.length).toBe(stand.source.marks.filter((m) => m.date >= '2026-11-01').length);
      const second = plan(stand.source, read2.snapshot, idMapFromEntries(first.matches.map((m) => ({ entity: m.entity, sourceId: m.sourceId, targetId: m.targetId }))), {
        capabilities: stand.connector.capabilities,
        comparableFields: stand.connector.comparableFields,
      });
      expect(second.changes).toEqual([]);
    } finally {
      await stand.emulator.close();
    }
  });
});
