import { cpSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EmulatorRequest } from '../../src/connectors/dnevnik/emulator';
import { countBy, freePort, maxInSlidingWindow, scrapeCounter, startCliStand, type CliProcess, type CliStand } from '../helpers/cli-stand';

/** The emulator installation's lane: 20 requests a second across every worker. */
const LIMIT = { max: 20, durationMs: 1000 };
/** Short locks: the killed worker's jobs are taken over within seconds. */
const WORKER_ARGS = ['--queues', 'plan,dnevnik-emulator', '--concurrency', '8', '--no-schedules', '--lock-duration', '2000', '--stalled-interval', '1000'];
const isWrite = (r: EmulatorRequest) => r.method !== 'GET' && !r.path.startsWith('/v2/authorizations') && r.path !== '/v2/edu-groups' && !r.path.startsWith('/v2/users/many');

/**
 * Two hosts that share nothing but Redis and PostgreSQL: two `ejsync worker` processes, each with
 * its own `EJSYNC_HOME` (and its own copy of the platform file), no shared folder — the school's
 * export was uploaded into the store (`ejsync upload`) and is gone from disk. The run plans from
 * the upload, the lane's request limit holds across both processes, and one of them is killed
 * (SIGKILL) mid-delivery: the other takes its jobs over, and the platform ends with exactly what
 * the plan said (no record twice, nothing missing: a new plan has nothing to do).
 * Built CLI, real Redis (own prefix), real PostgreSQL (own schema).
 */
describe('two hosts sharing only Redis and PostgreSQL (built CLI against the emulator)', () => {
  let stand: CliStand;
  const hosts: { home: string; env: NodeJS.ProcessEnv; port: number; worker?: CliProcess }[] = [];
  let operatorCopy: string;

  beforeAll(async () => {
    stand = await startCliStand({ pupils: 30, seed: 'two-hosts', laneRateLimit: LIMIT, emulator: { faults: { latencyMs: 30 } } });
    for (let i = 0; i < 2; i++) {
      const home = mkdtempSync(path.join(os.tmpdir(), `ejsync-host${i}-`));
      const platformFile = path.join(home, 'dnevnik.json');
      cpSync(stand.platformFile, platformFile);
      hosts.push({ home, env: { EJSYNC_HOME: home, EJSYNC_DNEVNIK_CONFIG: platformFile }, port: await freePort() });
    }
    // The export leaves the link's folder: only the operator's copy remains, to upload from.
    operatorCopy = mkdtempSync(path.join(os.tmpdir(), 'ejsync-operator-'));
    cpSync(stand.exportDir, path.join(operatorCopy, 'export'), { recursive: true });
    rmSync(stand.exportDir, { recursive: true, force: true });
  });
  afterAll(async () => {
    for (const h of hosts) if (h.worker && h.worker.child.exitCode === null && h.worker.child.signalCode === null) h.worker.child.kill('SIGTERM');
    await Promise.all(hosts.map((h) => h.worker?.exited));
    await stand?.close();
    for (const h of hosts) rmSync(h.home, { recursive: true, force: true });
    rmSync(operatorCopy, { recursive: true, force: true });
  });

  it('a worker warns of a link whose export it cannot read; after the upload both plan and deliver from the store', async () => {
    // Registered, nothing uploaded, the folder gone: the worker says so at start, naming the path.
    expect((await stand.cli(['upload', '--link', stand.linkFile, '--new-token'])).code).toBe(0);
    hosts[0].worker = await stand.startWorker([...WORKER_ARGS, '--metrics-port', String(hosts[0].port)], hosts[0].env);
    expect(hosts[0].worker.output()).toContain(`Внимание: выгрузка связи ${stand.linkId} недоступна на этом узле (${stand.exportDir})`);

    const upload = await stand.cli(['upload', '--link', stand.linkFile, path.join(operatorCopy, 'export'), '--json']);
    expect(upload.code).toBe(0);
    const uploaded = JSON.parse(upload.stdout) as { sha256: string; size: number };
    hosts[1].worker = await stand.startWorker([...WORKER_ARGS, '--metrics-port', String(hosts[1].port)], hosts[1].env);
    expect(hosts[1].worker.output()).not.toContain('Внимание: выгрузка связи');

    // Only the two host processes work: the sync follows the run and must not deliver itself.
    const sync = stand.spawnCli(['sync', '--link', stand.linkFile, '--json', '--no-local-worker']);
    const runId = (await sync.waitFor(/Запуск (run-[0-9a-f-]+) поставлен в очередь/))[1];
    await stand.waitForRun(runId, ['applying', 'succeeded', 'failed']);
    // Mid-delivery, with both hosts delivering: the second host dies.
    const deadline = Date.now() + 60_000;
    const delivered = (port: number) => scrapeCounter(port, 'ejsync_deliveries_total', { outcome: 'succeeded' });
    while ((await delivered(hosts[1].port)) < 20 || (await delivered(hosts[0].port)) < 20) {
      if (Date.now() > deadline) throw new Error('the hosts did not both deliver');
      await new Promise((r) => setTimeout(r, 100));
    }
    expect((await stand.store.runs.require(runId)).status).toBe('applying');
    hosts[1].worker.child.kill('SIGKILL');
    expect((await hosts[1].worker.exited).signal).toBe('SIGKILL');

    const { code } = await sync.exited;
    const run = await stand.store.runs.require(runId);
    const unapplied = (await stand.store.changes.list(runId)).filter((c) => c.status !== 'applied');
    expect(unapplied.map((c) => `${c.entity}/${c.op} ${c.status} ${c.lastErrorCode ?? ''}`)).toEqual([]);
    expect({ code, status: run.status }).toEqual({ code: 0, status: 'succeeded' });
    // Planned from the upload (no file on any host).
    expect(run.summary.sourceExport).toMatchObject({ sha256: uploaded.sha256, size: uploaded.size, format: 'zip' });

    // The limit held across both processes while they delivered.
    const writes = stand.emulator.state.requests.filter(isWrite);
    expect(writes.length).toBeGreaterThan(5 * LIMIT.max);
    expect(maxInSlidingWindow(writes.map((r) => r.t), LIMIT.durationMs).max).toBeLessThanOrEqual(LIMIT.max);
    expect(stand.emulator.state.requests.filter((r) => r.status === 429)).toEqual([]);

    // Nothing lost, nothing twice: creates per entity as planned, no record id or natural key twice.
    const changes = await stand.store.changes.list(runId);
    const planned = countBy(changes, (c) => `${c.entity}/${c.op}`);
    expect(Object.keys(planned).every((k) => k.endsWith('/create'))).toBe(true);
    const platformWrites = stand.emulator.state.writes;
    expect(countBy(platformWrites, (w) => `${w.entity}/${w.op}`)).toEqual(planned);
    const ids = platformWrites.map((w) => `${w.entity}/${w.id}`);
    expect(new Set(ids).size).toBe(ids.length);
    const journal = stand.journal();
    expect(new Set(journal.works).size).toBe(journal.works.length);
    expect(journal.works).toHaveLength(planned['works/create']);
    expect(journal.marks).toHaveLength(planned['marks/create']);
    expect(journal.attendance).toHaveLength(planned['attendance/create']);
    for (const queue of [stand.planQueue(), stand.laneQueue()]) {
      expect(await queue.getJobCounts('active', 'wait', 'delayed', 'prioritized', 'waiting-children', 'failed')).toEqual({ active: 0, wait: 0, delayed: 0, prioritized: 0, 'waiting-children': 0, failed: 0 });
    }
    // The platform and the uploaded export agree: a new plan (from the store, on this host) has nothing to do.
    const replan = await stand.cli(['plan', '--link', stand.linkFile, '--json', '--no-report']);
    expect(JSON.parse(replan.stdout).runs[0].changes).toBe(0);
    expect(replan.stderr).toContain(`Читаю выгрузку МИС (загруженную `);
    expect(replan.stderr).toContain(`SHA-256 ${uploaded.sha256.slice(0, 16)}…`);
  }, 150_000);
});
