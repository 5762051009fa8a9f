import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DEFAULT_SEDIZH_CONFIG_FILE, loadSedizhPlatform } from '../../../src/config/sedizh-config';
import { SeededRandom } from '../../../src/connectors/demo-school';
import { startSedizhEmulator, type SedizhEmulator } from '../../../src/connectors/sedizh/emulator';
import type { PackageMapping } from '../../../src/mappers/sedizh';
import { deliveryQueueName } from '../../../src/queue/queue-names';
import { countBy, startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

const KILLS = 15;
const LANE = 'sedizh-emulator';
/** Short locks so that a killed worker's jobs are taken over within seconds. */
const WORKER_ARGS = ['--queues', `plan,${LANE}`, '--concurrency', '8', '--no-schedules', '--lock-duration', '2000', '--stalled-interval', '1000'];

/**
 * The crash test for the СЭДиЖ target: a worker process killed with SIGKILL at seeded random
 * points while packages are in flight, restarted each time. The run still succeeds, every record
 * reached the emulated platform exactly once (no ejsync id twice per entity, creates per entity as
 * planned), nothing is left pending or queued, and a new plan has nothing to do.
 * Built CLI, real Redis (own prefix), real PostgreSQL (own schema).
 */
describe('worker killed mid-run while delivering СЭДиЖ packages (built CLI)', () => {
  let stand: CliStand;
  let emulator: SedizhEmulator;
  let dir: string;
  let linkFile: string;

  beforeAll(async () => {
    dir = mkdtempSync(path.join(os.tmpdir(), 'sedizh-crash-'));
    const raw = JSON.parse(readFileSync(DEFAULT_SEDIZH_CONFIG_FILE, 'utf8'));
    // Paced so that the run outlasts the kills; receipts waited for briefly (a killed worker's package may never be answered to it).
    raw.installations.emulator.rateLimit = { max: 40, durationMs: 1000 };
    raw.receipt = { pollIntervalMs: 20, timeoutMs: 1500 };
    raw.retry = { ...raw.retry, backoffMs: 200 };
    const platformFile = path.join(dir, 'sedizh.json');
    writeFileSync(platformFile, JSON.stringify(raw, null, 2));
    emulator = await startSedizhEmulator({ mapping: loadSedizhPlatform(platformFile).mapping as PackageMapping, now: () => new Date('2026-11-13T10:00:00+05:00'), faults: { latencyMs: 20 } });
    stand = await startCliStand({ pupils: 25, seed: 'sedizh-crash', env: { EJSYNC_SEDIZH_CONFIG: platformFile } });
    linkFile = path.join(stand.home, 'sedizh-link.json');
    const dnevnikLink = JSON.parse(readFileSync(stand.linkFile, 'utf8'));
    writeFileSync(linkFile, JSON.stringify({ ...dnevnikLink, id: 'sedizh-crash', name: 'Школа стенда → эмулятор СЭДиЖ', target: { platform: 'sedizh', installation: 'emulator', schoolId: '5900000001', baseUrl: emulator.url } }, null, 2));
  }, 120_000);
  afterAll(async () => {
    await stand?.close();
    await emulator?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Resolves once an attempt of the run was sent and has no result yet (or after `timeoutMs`). */
  async function inFlight(runId: string, timeoutMs: number): Promise<void> {
    const until = Date.now() + timeoutMs;
    while (Date.now() < until) {
      if ((await stand.store.deliveries.forRun(runId)).some((a) => a.outcome === 'sent')) return;
      await new Promise((r) => setTimeout(r, 5));
    }
  }

  it(`${KILLS} kills at random points: every record applied exactly once, nothing stuck, the run succeeds`, async () => {
    const rnd = new SeededRandom('sedizh-crash-recovery');
    let worker: CliProcess = await stand.startWorker(WORKER_ARGS);
    const sync = stand.spawnCli(['sync', '--link', linkFile, '--json']);
    const runId = (await sync.waitFor(/Запуск (run-[0-9a-f-]+) поставлен в очередь/))[1];
    let killedApplying = 0;
    for (let kill = 0; kill < KILLS; kill++) {
      if (kill > 0) await stand.waitForRun(runId, ['applying', 'succeeded']);
      await new Promise((r) => setTimeout(r, rnd.int(kill === 0 ? 100 : 150, kill === 0 ? 400 : 900)));
      // Every third kill waits for a package in flight (an attempt sent, no answer yet), so that
      // some kills surely land mid-delivery however fast the machine delivers.
      if (kill % 3 === 1) await inFlight(runId, 10_000);
      const run = await stand.store.runs.require(runId);
      expect(run.status).not.toBe('succeeded'); // the run must outlast the kills
      if (run.status === 'applying') killedApplying++;
      worker.child.kill('SIGKILL');
      expect((await worker.exited).signal).toBe('SIGKILL');
      worker = await stand.startWorker(WORKER_ARGS);
    }
    const { code } = await sync.exited;
    const unapplied = (await stand.store.changes.list(runId)).filter((c) => c.status !== 'applied');
    expect(unapplied.map((c) => `${c.entity}/${c.op} ${c.lastErrorCode}`)).toEqual([]);
    expect(code).toBe(0);
    worker.child.kill('SIGTERM');
    expect((await worker.exited).code).toBe(0);
    expect(killedApplying).toBeGreaterThanOrEqual(KILLS / 2);

    const changes = await stand.store.changes.list(runId);
    expect(changes.length).toBeGreaterThan(500);
    const planned = countBy(changes, (c) => `${c.entity}/${c.op}`);
    expect(Object.keys(planned).every((k) => k.endsWith('/create'))).toBe(true);
    // Exactly once on the platform: creates per entity as planned, no ejsync id twice.
    const writes = emulator.state.writes.filter((w) => w.op === 'create');
    expect(countBy(writes, (w) => `${w.entity}/create`)).toEqual(planned);
    const keys = writes.map((w) => `${w.entity}/${w.extId}`);
    expect(new Set(keys).size).toBe(keys.length);
    expect(emulator.state.writes.filter((w) => w.op !== 'create')).toEqual([]);
    // Kills left attempts without a result; each was followed by one that succeeded.
    const log = await stand.store.deliveries.forRun(runId);
    const byChange = new Map<string, typeof log>();
    for (const a of log) byChange.set(a.changeId, [...(byChange.get(a.changeId) ?? []), a]);
    for (const attempts of byChange.values()) expect(attempts.at(-1)!.outcome).toBe('succeeded');
    expect(log.filter((a) => a.outcome === 'sent').length).toBeGreaterThan(0);

    for (const queue of [stand.planQueue(), stand.queue(deliveryQueueName(LANE))]) {
      const counts = await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized', 'waiting-children', 'failed');
      expect(counts).toEqual({ active: 0, wait: 0, delayed: 0, prioritized: 0, 'waiting-children': 0, failed: 0 });
    }
    const replan = await stand.cli(['plan', '--link', linkFile, '--json', '--no-report']);
    expect(JSON.parse(replan.stdout).runs[0].changes).toBe(0);
  }, 240_000);
});
