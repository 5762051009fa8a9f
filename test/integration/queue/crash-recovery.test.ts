import { SeededRandom } from '../../../src/connectors/demo-school';
import { countBy, startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

const KILLS = 20;
/** Short locks so that a killed worker's jobs are taken over within seconds, not the default 30 s. */
const WORKER_ARGS = ['--queues', 'plan,dnevnik-emulator', '--concurrency', '8', '--no-schedules', '--lock-duration', '2000', '--stalled-interval', '1000'];

/**
 * A worker process killed with SIGKILL mid-run, 20 times at seeded random points, and restarted
 * each time: the run still ends `succeeded`, every change reached the platform exactly once (the
 * emulator's write log: creates per entity equal to the plan, no natural key twice), and nothing is
 * left behind (no pending change, no attempt without a later one, no job active or waiting).
 * Built CLI, real Redis (own prefix), real PostgreSQL (own schema).
 */
describe('worker process killed mid-run (built CLI against the emulator)', () => {
  let stand: CliStand;

  beforeAll(async () => {
    // ~465 deliveries at 40 a second: the run outlasts the 20 kills.
    stand = await startCliStand({ pupils: 40, seed: 'crash', laneRateLimit: { max: 40, durationMs: 1000 }, emulator: { faults: { latencyMs: 30 } } });
  });
  afterAll(async () => stand?.close());

  it('20 kills at random points: every delivery exactly once, nothing stuck, the run succeeds', async () => {
    const rnd = new SeededRandom('crash-recovery');
    let worker: CliProcess = await stand.startWorker(WORKER_ARGS);
    // Only the worker process delivers: the sync must not take over in-process while it is dead.
    const sync = stand.spawnCli(['sync', '--link', stand.linkFile, '--json', '--no-local-worker']);
    const runId = (await sync.waitFor(/Запуск (run-[0-9a-f-]+) поставлен в очередь/))[1];
    const killedWhile: string[] = [];
    const inFlightAtKill: number[] = [];
    let orphansBefore = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      // The first kill lands while the run is planned; the others once deliveries run.
      if (kill > 0) await stand.waitForRun(runId, ['applying', 'succeeded']);
      await new Promise((r) => setTimeout(r, rnd.int(kill === 0 ? 100 : 150, kill === 0 ? 400 : 900)));
      const run = await stand.store.runs.require(runId);
      expect(run.status).not.toBe('succeeded'); // the run must outlast the kills
      worker.child.kill('SIGKILL');
      expect((await worker.exited).signal).toBe('SIGKILL');
      killedWhile.push(run.status);
      // With the only worker dead, every `sent` attempt is one it started and never finished.
      const orphans = (await stand.store.deliveries.forRun(runId, { outcome: 'sent' })).length;
      inFlightAtKill.push(orphans - orphansBefore);
      orphansBefore = orphans;
      worker = await stand.startWorker(WORKER_ARGS);
    }
    const { code } = await sync.exited;
    const [reported] = JSON.parse(sync.output().slice(sync.output().indexOf('{'))).runs;
    // Any change that did not apply, with its attempts (what went wrong, if anything).
    const unapplied = await stand.store.changes.list(runId).then((all) => all.filter((c) => c.status !== 'applied'));
    const detail = await Promise.all(
      unapplied.map(async (c) => ({ change: `${c.entity}/${c.op} ${c.changeId}`, status: c.status, code: c.lastErrorCode, attempts: (await stand.store.deliveries.forChange(runId, c.changeId)).map((a) => `${a.outcome} ${a.errorCode ?? ''} ${a.status ?? ''}`) })),
    );
    expect(detail).toEqual([]);
    expect({ code, status: reported.status }).toEqual({ code: 0, status: 'succeeded' });
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);

    // The kills landed while deliveries were running, with deliveries in flight.
    expect(killedWhile[0]).toBe('planned');
    expect(killedWhile.slice(1).every((s) => s === 'applying')).toBe(true);
    expect(inFlightAtKill.filter((n) => n > 0).length).toBeGreaterThanOrEqual(KILLS / 4);

    // Every change applied; the plan said creates only (a first sync).
    const run = await stand.store.runs.require(runId);
    expect(run.status).toBe('succeeded');
    const changes = await stand.store.changes.list(runId);
    expect(changes.length).toBeGreaterThan(400);
    expect(countBy(changes, (c) => c.status)).toEqual({ applied: changes.length });
    const planned = countBy(changes, (c) => `${c.entity}/${c.op}`);
    expect(Object.keys(planned).every((k) => k.endsWith('/create'))).toBe(true);

    // Exactly once on the platform: as many creates per entity as planned, no record id twice …
    const writes = stand.emulator.state.writes;
    expect(countBy(writes, (w) => `${w.entity}/${w.op}`)).toEqual(planned);
    const ids = writes.map((w) => `${w.entity}/${w.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    // … and no natural key twice (a repeated work create would be a second work on the same lesson).
    const journal = stand.journal();
    expect(new Set(journal.works).size).toBe(journal.works.length);
    expect(journal.works).toHaveLength(planned['works/create']);
    expect(journal.marks).toHaveLength(planned['marks/create']);
    expect(journal.attendance).toHaveLength(planned['attendance/create']);

    // The delivery log: every change's last attempt succeeded; attempts cut off by a kill stay
    // `sent`, each followed by a later attempt of the same change (which looked before writing).
    const log = await stand.store.deliveries.forRun(runId);
    const byChange = new Map<string, typeof log>();
    for (const a of log) byChange.set(a.changeId, [...(byChange.get(a.changeId) ?? []), a]);
    expect(byChange.size).toBe(changes.length);
    for (const attempts of byChange.values()) {
      expect(attempts.at(-1)!.outcome).toBe('succeeded');
      expect(attempts.slice(0, -1).every((a) => a.outcome !== 'succeeded')).toBe(true);
    }
    const orphaned = log.filter((a) => a.outcome === 'sent');
    expect(orphaned.length).toBeGreaterThan(0);
    // Some of those writes landed (found by the next attempt's lookup); the run's write counter
    // misses at most those (the process died before counting them).
    expect(log.filter((a) => a.path === '(проверка существования)').length).toBeGreaterThan(0);
    expect(run.writes).toBeLessThanOrEqual(writes.length);
    expect(writes.length - run.writes).toBeLessThanOrEqual(orphaned.length);

    // Nothing left in the queues.
    for (const queue of [stand.planQueue(), stand.laneQueue()]) {
      const counts = await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized', 'waiting-children', 'failed');
      expect(counts).toEqual({ active: 0, wait: 0, delayed: 0, prioritized: 0, 'waiting-children': 0, failed: 0 });
    }

    // The platform and the school agree: a new plan has nothing to do.
    const replan = await stand.cli(['plan', '--link', stand.linkFile, '--json', '--no-report']);
    expect(JSON.parse(replan.stdout).runs[0].changes).toBe(0);
  }, 180_000);
});
