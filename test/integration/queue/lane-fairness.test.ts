import { deliveryLaneOf } from '../../../src/queue/queue-names';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { tinySchool } from '../../helpers/school-fixture';

/**
 * Schools of one region share a delivery lane, but each school's token has its own request limit:
 * the lane serves its runs in turn, so a worker's slots are not all spent waiting on one school
 * while the others' deliveries queue behind it. Real Redis, real PostgreSQL.
 */
describe('one lane, several schools', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('postgres'));
  });
  afterEach(async () => cleanup());

  it('takes the runs’ deliveries in turn, not one run’s whole phase first', async () => {
    const WORKS = 12;
    const schools = ['a', 'b'].map((name) => {
      const { source, platform } = tinySchool();
      for (let i = 2; i <= WORKS; i++) source.works.push({ ...source.works[0], sourceId: `w${i}`, title: `Самостоятельная работа № ${i}` });
      const link = testLink({ id: `link-${name}`, name: `Школа ${name}` });
      return { name, source, fake: new FakePlatform(platform), link };
    });
    const applied: string[] = [];
    for (const s of schools) {
      const apply = s.fake.apply.bind(s.fake);
      s.fake.apply = async (change) => {
        applied.push(`${s.name}:${change.entity}`);
        return apply(change);
      };
    }
    const byLink = new Map(schools.map((s) => [s.link.id, s]));
    const stand = await startPipelineStand(store, (link) => byLink.get(link.id)!.fake, (link) => byLink.get(link.id)!.source);
    try {
      // Both runs reach the lane before any delivery starts: school a's run is queued first.
      const lane = stand.ctx.deliveryQueue(deliveryLaneOf(schools[0].link.target));
      await lane.pause();
      const runs = [];
      for (const s of schools) {
        const run = await startRun(stand.ctx, s.link, { trigger: 'schedule', environment: 'emulator' });
        await stand.waitFor(run.id, ['applying']);
        runs.push(run);
      }
      expect(await lane.getJobCountByTypes('prioritized', 'wait', 'paused')).toBe(2 * WORKS);
      await lane.resume();
      for (const run of runs) expect((await stand.waitFor(run.id, ['succeeded', 'partial', 'failed'])).status).toBe('succeeded');

      const works = applied.filter((a) => a.endsWith(':works'));
      expect(works).toHaveLength(2 * WORKS);
      // First come first served would take a's twelve works before any of b's; in turn, the
      // worker's first eight slots hold works of both schools and b's last work is not last by far.
      const firstSlots = works.slice(0, 8);
      expect(firstSlots.filter((w) => w.startsWith('b:')).length).toBeGreaterThanOrEqual(3);
      expect(firstSlots.filter((w) => w.startsWith('a:')).length).toBeGreaterThanOrEqual(3);
      expect(works.lastIndexOf('a:works')).toBeGreaterThan(WORKS + 2);
      for (const s of schools) expect(s.fake.snapshot().works).toHaveLength(WORKS);
    } finally {
      await stand.close();
    }
  });
});
