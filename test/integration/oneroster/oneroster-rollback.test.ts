import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSchool } from '../../../src/connectors/demo-school';
import { OneRosterTarget } from '../../../src/connectors/oneroster';
import { SnapshotCollector, type Snapshot } from '../../../src/model';
import { rollbackRun } from '../../../src/queue/run-pipeline/rollback-run';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';

const DONE = ['succeeded', 'partial', 'failed', 'held', 'cancelled'];
const ACTOR = { actorOid: '1000100002', actorName: 'Админов С. П.' };
const SCOPE = { schoolId: 'school-61', from: '2000-01-01', to: '2100-01-01' };

/**
 * The OneRoster target through the normal pipeline (real Redis, PostgreSQL): a sync, a one-pupil
 * change as its own delta bundle with one delivery logged, and a rollback of that change verified
 * by reading the bundle back.
 */
describe('OneRoster target: delivery log and rollback through the normal pipeline', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let root: string;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
    root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-oneroster-rollback-'));
  });
  afterEach(async () => {
    await cleanup();
    await rm(root, { recursive: true, force: true });
  });

  it('delivers, changes one pupil in a delta bundle, and rolls that change back', async () => {
    const collector = new SnapshotCollector();
    await generateSchool(collector, { pupils: 8, seed: 'oneroster-rollback', weeks: 1 });
    const source = collector.snapshot();
    const link = testLink({ school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone } });
    const dir = path.join(root, 'out');
    const target = new OneRosterTarget({ dir, school: { sourceId: 'school-61', name: 'Школа', timeZone: source.school.timeZone }, environment: 'emulator', lingerMs: 50 });
    let current: Snapshot = source;
    const stand = await startPipelineStand(store, target, () => current, () => new Date('2026-11-21T10:00:00+05:00'), 16);
    try {
      const first = await stand.waitFor((await startRun(stand.ctx, link, { trigger: 'demo', environment: 'emulator' })).id, DONE, 120_000);
      expect(first.status).toBe('succeeded');
      expect((await target.readSnapshot(SCOPE)).snapshot.pupils).toHaveLength(8);

      const pupil = source.pupils[0];
      current = { ...source, pupils: source.pupils.map((p) => (p.sourceId === pupil.sourceId ? { ...p, lastName: 'Изменённая' } : p)) };
      const second = await stand.waitFor((await startRun(stand.ctx, link, { trigger: 'person', environment: 'emulator' })).id, DONE, 60_000);
      expect(second).toMatchObject({ status: 'succeeded', writes: 1 });
      const log = await store.deliveries.forRun(second.id);
      expect(log.map((d) => [d.entity, d.operation, d.sourceId, d.outcome])).toEqual([['pupils', 'update', pupil.sourceId, 'succeeded']]);
      expect((await target.readSnapshot(SCOPE)).snapshot.pupils.find((p) => p.sourceId === pupil.sourceId)?.lastName).toBe('Изменённая');
      const deltasAfterChange = (await readdir(path.join(dir, 'deltas'))).length;

      const { run: undo } = await rollbackRun(stand.ctx, second.id, ACTOR);
      expect((await stand.waitFor(undo.id, DONE, 60_000)).status).toBe('succeeded');
      const back = (await target.readSnapshot(SCOPE)).snapshot.pupils.find((p) => p.sourceId === pupil.sourceId);
      expect(back).toEqual(pupil);
      // The undo is a delta bundle of its own.
      expect((await readdir(path.join(dir, 'deltas'))).length).toBe(deltasAfterChange + 1);
    } finally {
      await stand.close();
    }
  }, 180_000);
});
