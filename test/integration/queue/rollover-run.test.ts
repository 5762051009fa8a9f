import type { YearCalendar } from '../../../src/reconcile';
import { approveRun } from '../../../src/queue/run-pipeline/run-actions';
import { rollbackRun } from '../../../src/queue/run-pipeline/rollback-run';
import { startRollover } from '../../../src/queue/run-pipeline/rollover-run';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { tinySchool } from '../../helpers/school-fixture';

const ACTOR = { actorOid: '1000100002', actorName: 'Админов С. П.' };
const DONE = ['succeeded', 'partial', 'failed', 'held', 'cancelled'];
const calendar: YearCalendar = {
  name: '2027/2028',
  startDate: '2027-09-01',
  endDate: '2028-08-31',
  periods: [{ sourceId: 'q1-27', kind: 'quarter', number: 1, name: '1 четверть', startDate: '2027-09-01', endDate: '2027-10-24', grades: [5, 6] }],
  holidays: [{ sourceId: 'h1-27', name: 'Осенние каникулы', startDate: '2027-10-25', endDate: '2027-11-02' }],
};

/** Issue 13 (3): a year rollover is a planned run like any other — previewed, held, approved, rolled back. */
describe('ejsync rollover as a run (real Redis, PostgreSQL)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('previews and holds however small, records the order, applies after approval and rolls back', async () => {
    const { source, platform } = tinySchool();
    // A platform whose API writes the school's structure too (as СЭДиЖ packages do).
    const fake = new FakePlatform(platform, ['academicYears', 'periods', 'holidays', 'classes', 'subgroups', 'memberships', 'works', 'marks', 'attendance']);
    const stand = await startPipelineStand(store, fake, () => source);
    try {
      const first = await startRun(stand.ctx, testLink(), { trigger: 'demo', environment: 'emulator' });
      expect((await stand.waitFor(first.id, DONE)).status).toBe('succeeded');
      const before = fake.snapshot();

      const run = await startRollover(store, testLink(), { to: '2027/2028', orderNumber: '210-у', orderDate: '2027-05-30', calendar }, ACTOR, (extra) =>
        startRun(stand.ctx, testLink(), { ...extra, trigger: 'person', triggeredBy: ACTOR.actorOid, environment: 'emulator' }),
      );
      expect(run.kind).toBe('rollover');
      const held = await stand.waitFor(run.id, DONE);
      expect(held.status).toBe('held');
      expect(held.heldReasons.map((r) => (r as { code: string }).code)).toContain('run.rollover_needs_approval');
      expect(fake.snapshot()).toEqual(before);
      const staged = await store.changes.list(run.id);
      const creates = (entity: string) => staged.filter((c) => c.entity === entity && c.op === 'create').map((c) => c.after as Record<string, unknown>);
      expect(creates('academicYears').map((y) => y.name)).toEqual(['2027/2028']);
      expect(creates('classes').map((c) => c.name)).toEqual(['6А']);
      expect(creates('periods').map((p) => p.name)).toEqual(['1 четверть']);
      expect(creates('holidays').map((h) => h.name)).toEqual(['Осенние каникулы']);
      // The order is on every membership change, and in the audit.
      const memberships = staged.filter((c) => c.entity === 'memberships');
      expect(memberships.length).toBeGreaterThanOrEqual(4);
      for (const m of memberships) expect(m.after).toMatchObject({ orderNumber: '210-у', orderDate: '2027-05-30' });
      const audit = await store.audit.list({ limit: 20 });
      expect(audit.find((a) => a.action === 'run.rollover_requested')).toMatchObject({ objectId: run.id, details: { to: '2027/2028', orderNumber: '210-у', orderDate: '2027-05-30' } });

      await approveRun(stand.ctx, run.id, ACTOR);
      const applied = await stand.waitFor(run.id, ['succeeded', 'partial', 'failed', 'cancelled'], 30_000);
      expect(applied.status).toBe('succeeded');
      const after = fake.snapshot();
      expect(after.classes.map((c) => c.name).sort()).toEqual(['5А', '6А']);
      expect(after.academicYears.map((y) => y.name).sort()).toEqual(['2026/2027', '2027/2028']);
      expect(after.memberships.filter((m) => m.endDate === '2027-08-31')).toHaveLength(2);

      const { run: undo } = await rollbackRun(stand.ctx, run.id, ACTOR);
      expect((await stand.waitFor(undo.id, DONE, 30_000)).status).toBe('succeeded');
      const undone = fake.snapshot();
      expect(undone.classes.map((c) => c.name)).toEqual(['5А']);
      expect(undone.academicYears.map((y) => y.name)).toEqual(['2026/2027']);
      expect(undone.memberships.filter((m) => m.endDate)).toEqual([]);
    } finally {
      await stand.close();
    }
  }, 90_000);
});
