import type { EmulatorRequest } from '../../src/connectors/dnevnik/emulator';
import { freePort, maxInSlidingWindow, scrapeCounter, startCliStand, type CliProcess, type CliStand } from '../helpers/cli-stand';

/** The emulator installation's lane in this test: 20 requests a second across all workers. */
const LIMIT = { max: 20, durationMs: 1000 };

/** Requests that write (reads by POST, `edu-groups`, and token requests are not writes). */
// Reads sent as POST (users/many: login accounts with birth dates) are not writes.
const isWrite = (r: EmulatorRequest) => r.method !== 'GET' && !r.path.startsWith('/v2/authorizations') && r.path !== '/v2/edu-groups' && !r.path.startsWith('/v2/users/many');

/**
 * The platform's request limit holds across worker processes: two `ejsync worker` processes serve
 * one delivery lane whose installation allows 20 requests a second, and the emulator's request log
 * (arrival times) shows no sliding second with more writes than that while both processes deliver.
 * Then the platform answers `429 apiRequestLimit` for a while: the school's token is held for the named wait in both processes,
 * nothing is sent before it ends, and no delivery attempt is burnt. Built CLI, real Redis (own
 * prefix), real PostgreSQL (own schema).
 */
describe('rate limit across two worker processes (built CLI against the emulator)', () => {
  let stand: CliStand;
  const ports: number[] = [];
  let workers: CliProcess[] = [];

  beforeAll(async () => {
    stand = await startCliStand({ pupils: 20, seed: 'rate-two', laneRateLimit: LIMIT, emulator: { faults: { latencyMs: 30 } } });
    ports.push(await freePort(), await freePort());
    // Both serve the lane; the planner runs in one of them.
    workers = await Promise.all(
      ports.map((port, i) => stand.startWorker(['--queues', i === 0 ? 'plan,dnevnik-emulator' : 'dnevnik-emulator', '--concurrency', '8', '--no-schedules', '--metrics-port', String(port)])),
    );
  });
  afterAll(async () => {
    for (const w of workers) w.child.kill('SIGTERM');
    await Promise.all(workers.map((w) => w.exited));
    await stand?.close();
  });

  const delivered = (port: number) => scrapeCounter(port, 'ejsync_deliveries_total', { outcome: 'succeeded' });

  it('no sliding second has more than 20 writes, and both processes delivered', async () => {
    const sync = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    expect(sync.stderr).not.toContain('запускаю обработчик');
    const [run] = JSON.parse(sync.stdout).runs;
    expect(run.status).toBe('succeeded');

    const writes = stand.emulator.state.requests.filter(isWrite);
    expect(writes.length).toBe(run.writes);
    expect(writes.length).toBeGreaterThan(5 * LIMIT.max);
    const busiest = maxInSlidingWindow(writes.map((r) => r.t), LIMIT.durationMs);
    expect(busiest.max).toBeLessThanOrEqual(LIMIT.max);
    // The limit set the pace (the lane did not idle): the writes took about writes / 20 seconds.
    const span = (writes.at(-1)!.t - writes[0].t) / 1000;
    expect(writes.length / span).toBeGreaterThan(LIMIT.max * 0.8);
    expect(stand.emulator.state.requests.filter((r) => r.status === 429)).toEqual([]);

    // Both processes delivered a fair share, and together exactly the run's changes.
    const [first, second] = await Promise.all(ports.map(delivered));
    expect(first).toBeGreaterThan(writes.length * 0.2);
    expect(second).toBeGreaterThan(writes.length * 0.2);
    expect(first + second).toBe(writes.length);
    const log = await stand.store.deliveries.forRun(run.id);
    expect(log.filter((d) => d.outcome === 'succeeded')).toHaveLength(writes.length);
  }, 180_000);

  it('a 429 apiRequestLimit holds the token in both processes for the named wait without burning attempts', async () => {
    // The journal holds the first sync (run it here when this test runs alone).
    if (!(await stand.store.runs.list({ linkId: stand.linkId, status: 'succeeded' })).length) expect((await stand.cli(['sync', '--link', stand.linkFile])).code).toBe(0);
    // The school changes a mark on every work of one day: one update per mark, all on the lane.
    const edited = structuredClone(stand.source);
    const day = edited.marks[0].date;
    let changed = 0;
    for (const m of edited.marks) {
      if (m.date !== day || !/^[2-5]$/.test(m.value)) continue;
      m.value = m.value === '5' ? '4' : '5';
      changed++;
    }
    expect(changed).toBeGreaterThan(10);
    await stand.writeSource(edited);
    const from = stand.emulator.state.requests.length;
    // At the first write of this sync the platform answers 429 with Retry-After: 1.5 s, and the
    // token stays throttled that long (every request in the window is answered 429 too).
    let bursting = false;
    const burster = setInterval(() => {
      const seen = stand.emulator.state.requests.slice(from);
      if (!bursting && seen.some(isWrite)) {
        bursting = true;
        stand.emulator.setFaults({ latencyMs: 30, burst429Rate: 1, retryAfterSeconds: 1.5 });
      } else if (bursting && seen.some((r) => r.fault === 'burst_429')) {
        clearInterval(burster);
        stand.emulator.setFaults({ latencyMs: 30 });
      }
    }, 1);
    let sync;
    try {
      sync = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    } finally {
      clearInterval(burster);
    }
    const [run] = JSON.parse(sync.stdout).runs;
    expect(run.status).toBe('succeeded');
    expect(run.writes).toBe(changed);

    const requests = stand.emulator.state.requests.slice(from);
    const limited = requests.filter((r) => r.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    const [first] = limited;
    const waitEnds = first.t + first.retryAfterMs!;
    // The token was held: only what was already in flight in the two processes met the wait …
    expect(limited.length).toBeLessThanOrEqual(2 * 8);
    expect(limited.every((r) => r.t < waitEnds + 50)).toBe(true);
    // … and deliveries went on after it.
    expect(requests.filter((r) => isWrite(r) && r.t >= waitEnds && r.status === 200).length).toBeGreaterThan(0);

    // The delivery log shows the rate-limited attempts, each followed by a successful one …
    const log = await stand.store.deliveries.forRun(run.id);
    const limitedAttempts = log.filter((d) => d.errorCode === 'dnevnik.rate_limited');
    expect(limitedAttempts.length).toBeGreaterThan(0);
    expect(limitedAttempts.every((a) => a.retryable === true && a.status === 429)).toBe(true);
    for (const a of limitedAttempts) {
      const attempts = log.filter((d) => d.changeId === a.changeId);
      expect(attempts.at(-1)).toMatchObject({ outcome: 'succeeded' });
      expect(attempts.at(-1)!.attempt).toBeGreaterThan(a.attempt);
    }
    // … yet no attempt was burnt: BullMQ counted one attempt per job (started more than once),
    // and every change was applied in its first generation.
    const lane = stand.laneQueue();
    for (const changeId of new Set(limitedAttempts.map((a) => a.changeId))) {
      const job = await lane.getJob(`${run.id}.${changeId}.g0`.replace(/:/g, '_'));
      expect(job).toBeDefined();
      expect(await job!.getState()).toBe('completed');
      expect(job!.attemptsMade).toBe(1);
      expect(job!.attemptsStarted).toBeGreaterThan(1);
    }
    const changes = await stand.store.changes.list(run.id);
    expect(changes).toHaveLength(changed);
    expect(changes.every((c) => c.status === 'applied' && c.attempts === 1)).toBe(true);
  }, 180_000);
});
