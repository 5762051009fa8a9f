import { EjsyncError, type Snapshot } from '../../../src/model';
import { deliveryLaneOf } from '../../../src/queue/queue-names';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { FakePlatform } from '../../helpers/fake-platform';
import { startPipelineStand, testLink } from '../../helpers/pipeline-stand';
import { tinySchool } from '../../helpers/school-fixture';

/** The tiny school with `works` control works on its lesson, each marked for both pupils (or none). */
function schoolWithWorks(works: number, marked: boolean): { source: Snapshot; platform: Snapshot } {
  const { source, platform } = tinySchool();
  const [work] = source.works;
  source.works = [];
  source.marks = [];
  source.attendance = [];
  for (let i = 1; i <= works; i++) {
    source.works.push({ ...work, sourceId: `w${i}`, title: `Самостоятельная работа № ${i}` });
    if (marked) for (const p of source.pupils) source.marks.push({ sourceId: `m${i}-${p.sourceId}`, pupilId: p.sourceId, subjectId: 'math', groupId: 'c5a', kind: 'current', value: '5', date: work.date, workId: `w${i}`, lessonId: work.lessonId });
  }
  return { source, platform };
}

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

  /** Both runs planned and queued while the lane is paused (school a's first), then delivered; the order of applies. */
  async function deliverTogether(
    schools: { name: string; school: { source: Snapshot; platform: Snapshot } }[],
    laneConcurrency: number,
    prepare: (fakes: Record<string, FakePlatform>) => void = () => undefined,
  ) {
    const sides = schools.map(({ name, school }) => ({ name, source: school.source, fake: new FakePlatform(school.platform), link: testLink({ id: `link-${name}`, name: `Школа ${name}` }) }));
    prepare(Object.fromEntries(sides.map((s) => [s.name, s.fake])));
    const applied: string[] = [];
    const timeline: { school: string; t: number; ok: boolean }[] = [];
    for (const s of sides) {
      const apply = s.fake.apply.bind(s.fake);
      s.fake.apply = async (change) => {
        applied.push(`${s.name}:${change.entity}`);
        // When the write happened (after any wait for a held token; the fake answers at once).
        try {
          const outcome = await apply(change);
          timeline.push({ school: s.name, t: performance.now(), ok: true });
          return outcome;
        } catch (error) {
          timeline.push({ school: s.name, t: performance.now(), ok: false });
          throw error;
        }
      };
    }
    const byLink = new Map(sides.map((s) => [s.link.id, s]));
    const stand = await startPipelineStand(store, (link) => byLink.get(link.id)!.fake, (link) => byLink.get(link.id)!.source, undefined, laneConcurrency);
    try {
      const lane = stand.ctx.deliveryQueue(deliveryLaneOf(sides[0].link.target));
      await lane.pause();
      const runs = [];
      for (const s of sides) {
        const run = await startRun(stand.ctx, s.link, { trigger: 'schedule', environment: 'emulator' });
        await stand.waitFor(run.id, ['applying']);
        runs.push(run);
      }
      // A run turns `applying` just before its first phase is queued: wait for the phase.
      let expected = 0;
      for (const r of runs) {
        const changes = await store.changes.list(r.id);
        const first = Math.min(...changes.map((c) => c.phase));
        expected += changes.filter((c) => c.phase === first).length;
      }
      let queued = 0;
      for (let i = 0; i < 200 && queued < expected; i++) {
        queued = await lane.getJobCountByTypes('prioritized', 'wait');
        if (queued < expected) await new Promise((r) => setTimeout(r, 10));
      }
      await lane.resume();
      for (const run of runs) expect((await stand.waitFor(run.id, ['succeeded', 'partial', 'failed'])).status).toBe('succeeded');
      const jobs = await lane.getJobs(['completed']);
      return { applied, timeline, queued, sides, runs, jobs };
    } finally {
      await stand.close();
    }
  }

  it('takes the runs’ deliveries in turn, not one run’s whole phase first', async () => {
    const WORKS = 12;
    const { applied, queued, sides } = await deliverTogether(
      ['a', 'b'].map((name) => ({ name, school: schoolWithWorks(WORKS, false) })),
      8,
    );
    expect(queued).toBe(2 * WORKS);
    expect(applied).toHaveLength(2 * WORKS);
    // First come first served would take a's twelve works before any of b's; in turn, the
    // worker's first eight slots hold works of both schools and a's last work is not early.
    const firstSlots = applied.slice(0, 8);
    expect(firstSlots.filter((w) => w.startsWith('b:')).length).toBeGreaterThanOrEqual(2);
    expect(firstSlots.filter((w) => w.startsWith('a:')).length).toBeGreaterThanOrEqual(2);
    expect(applied.lastIndexOf('a:works')).toBeGreaterThan(WORKS + 2);
    for (const s of sides) expect(s.fake.snapshot().works).toHaveLength(WORKS);
  });

  it('a run’s next phase joins at the lane’s current turn instead of jumping ahead', async () => {
    // a: 10 works, then 20 marks; b: 40 works. One slot, so the applies follow the lane's order.
    const { applied } = await deliverTogether(
      [
        { name: 'a', school: schoolWithWorks(10, true) },
        { name: 'b', school: schoolWithWorks(40, false) },
      ],
      1,
    );
    expect(applied).toHaveLength(10 + 20 + 40);
    const firstMark = applied.indexOf('a:marks');
    const lastOfB = applied.lastIndexOf('b:works');
    expect(firstMark).toBeGreaterThan(0);
    expect(firstMark).toBeLessThan(lastOfB);
    // While b still has works, a's marks take turns with them: never a run of a's marks (ranked
    // from 1 again, about ten of them would go before b's eleventh work).
    let streak = 0;
    let longest = 0;
    for (const a of applied.slice(0, lastOfB)) {
      streak = a === 'a:marks' ? streak + 1 : 0;
      longest = Math.max(longest, streak);
    }
    expect(longest).toBeLessThanOrEqual(2);
    expect(applied.slice(firstMark, lastOfB).filter((a) => a === 'a:marks')).toHaveLength(20);
  });

  it('a 429 for one school holds that school for the named wait, not the other schools on the lane', async () => {
    const WAIT_MS = 1500;
    const { timeline, runs, jobs } = await deliverTogether(
      [
        { name: 'a', school: schoolWithWorks(12, false) },
        { name: 'b', school: schoolWithWorks(24, false) },
      ],
      8,
      ({ a }) => a.failNext(1, () => new EjsyncError('dnevnik.rate_limited', { retryable: true, waitMs: WAIT_MS })),
    );
    const limited = timeline.find((e) => !e.ok)!;
    expect(limited.school).toBe('a');
    const during = timeline.filter((e) => e.t > limited.t && e.t < limited.t + WAIT_MS - 100);
    // School b went on during a's wait: more of its works than the worker's 8 slots held when the
    // 429 came (a paused lane lets only those finish) …
    expect(during.filter((e) => e.school === 'b').length).toBeGreaterThan(8);
    // … and nothing of school a was sent before its wait ended.
    expect(during.filter((e) => e.school === 'a')).toEqual([]);
    expect(timeline.filter((e) => e.school === 'a' && e.t > limited.t).every((e) => e.t >= limited.t + WAIT_MS - 30)).toBe(true);
    // The limited delivery was tried again and applied; no attempt was burnt by the wait.
    const log = await store.deliveries.forRun(runs[0].id);
    const [failed] = log.filter((d) => d.errorCode === 'dnevnik.rate_limited');
    expect(failed).toMatchObject({ outcome: 'failed', retryable: true });
    expect(log.filter((d) => d.changeId === failed.changeId).at(-1)).toMatchObject({ outcome: 'succeeded' });
    expect(jobs.every((j) => j.attemptsMade === 1)).toBe(true);
    // Besides the refused one, deliveries of a fetched during the wait stepped aside and came back.
    expect(jobs.filter((j) => j.data.linkId === 'link-a' && j.attemptsStarted > 1).length).toBeGreaterThanOrEqual(2);
  });
});
