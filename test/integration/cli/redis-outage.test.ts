import { spawn, type ChildProcess } from 'node:child_process';
import { Redis } from 'ioredis';
import { countBy, freePort, startCliStand, WORKER_STARTED, type CliStand } from '../../helpers/cli-stand';

const SETTLED = ['succeeded', 'partial', 'failed', 'cancelled', 'held'];

/** A Redis of the test's own, on a free port, with no persistence: a restart loses every job. */
async function startBareRedis(port: number): Promise<ChildProcess> {
  const child = spawn('redis-server', ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'], { stdio: 'ignore' });
  const client = new Redis({ port, host: '127.0.0.1', lazyConnect: true, maxRetriesPerRequest: 0, retryStrategy: () => null });
  client.on('error', () => undefined);
  for (let i = 0; ; i++) {
    try {
      await client.connect();
      await client.ping();
      client.disconnect();
      return child;
    } catch (error) {
      if (i > 100 || child.exitCode !== null) throw new Error(`redis-server on port ${port} did not start: ${String(error)}`);
      await new Promise((r) => setTimeout(r, 50));
    }
  }
}

async function stopRedis(child: ChildProcess | null): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = new Promise((r) => child.once('exit', r));
  child.kill('SIGKILL');
  await exited;
}

/**
 * Issue 18 point 4 and "no run stuck, ever": a Redis without persistence is killed and started
 * again mid-run, so every job of the run is lost. The sync says so in Russian (no driver stack),
 * keeps reconnecting, and its watchdog (small times here) queues the lost deliveries again: the
 * run ends with every record on the platform once. A second `sync` of the link started during
 * the outage waits for the first and applies nothing in parallel. Built CLI, Дневник.ру
 * emulator, real PostgreSQL; the Redis is the test's own (started on a free port, killed in afterAll).
 */
describe('Redis restarted without persistence mid-run (built CLI against the emulator)', () => {
  let stand: CliStand;
  let redis: ChildProcess | null = null;
  let lateRedis: ChildProcess | null = null;
  let port: number;
  beforeAll(async () => {
    // ~465 deliveries at 40 a second: the run outlasts the outage.
    stand = await startCliStand({ pupils: 40, seed: 'redis-outage', laneRateLimit: { max: 40, durationMs: 1000 } });
    port = await freePort();
    redis = await startBareRedis(port);
  }, 120_000);
  afterAll(async () => {
    await stopRedis(redis);
    await stopRedis(lateRedis);
    await stand?.close();
  });

  it('the run completes after the jobs are lost; a second sync meanwhile waits instead of applying beside it', async () => {
    const env = { REDIS_URL: `redis://127.0.0.1:${port}`, EJSYNC_WATCHDOG_INTERVAL_MS: '500', EJSYNC_WATCHDOG_STALL_MS: '2000', EJSYNC_WATCHDOG_MAX_RECOVERIES: '5' };
    const first = stand.spawnCli(['sync', '--link', stand.linkFile, '--json'], env);
    const firstId = (await first.waitFor(/Запуск (run-[0-9a-f-]+) поставлен в очередь/))[1];
    await stand.waitForRun(firstId, ['applying']);
    for (;;) {
      const applied = (await stand.store.changes.counts(firstId)).filter((c) => c.status === 'applied').reduce((n, c) => n + c.n, 0);
      if (applied >= 40) break;
      await new Promise((r) => setTimeout(r, 50));
    }

    // Redis dies: the sync says so, once, in Russian.
    await stopRedis(redis);
    redis = null;
    await first.waitFor(/Нет соединения с Redis \(redis:\/\/127\.0\.0\.1:\d+\/?\): очередь заданий недоступна/);
    // A second sync of the same link during the outage.
    const second = stand.spawnCli(['sync', '--link', stand.linkFile, '--json'], env);
    await second.waitFor(/Нет соединения с Redis/);

    // Redis is back, empty: every job of the run is gone.
    redis = await startBareRedis(port);
    await first.waitFor(/Соединение с Redis восстановлено/);
    const secondId = (await second.waitFor(/Запуск (run-[0-9a-f-]+) поставлен в очередь/))[1];
    expect((await stand.store.runs.require(firstId)).status).toBe('applying');

    let maxApplying = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxApplying = Math.max(maxApplying, (await stand.store.runs.list({ linkId: stand.linkId, status: 'applying' })).length);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const [doneFirst, doneSecond] = await Promise.all([first.exited, second.exited]);
    sampling = false;
    await sampler;

    const runA = await stand.store.runs.require(firstId);
    const runB = await stand.store.runs.require(secondId);
    expect(SETTLED).toContain(runA.status);
    expect({ status: runA.status, code: doneFirst.code }).toEqual({ status: 'succeeded', code: 0 });
    expect({ status: runB.status, writes: runB.writes, code: doneSecond.code }).toEqual({ status: 'succeeded', writes: 0, code: 0 });
    expect(maxApplying).toBe(1);
    // The watchdog queued the lost deliveries again, and said so in the run's findings.
    expect((await stand.store.findings.forRun(firstId)).map((f) => f.code)).toContain('run.recovered');
    expect(second.output()).toContain(`Связь сейчас синхронизирует запуск ${firstId}: этот запуск ждёт его завершения`);

    // No driver stack for people: Russian lines only (the cause is in the log file).
    for (const out of [first.output(), second.output()]) {
      expect(out).not.toMatch(/ECONNREFUSED|TCPConnectWrap|\n\s+at /);
      expect(out).toMatch(/Подробности — в журнале .*logs\/ejsync\.log/);
    }

    // Every record once on the platform.
    const planned = countBy(await stand.store.changes.list(firstId), (c) => `${c.entity}/${c.op}`);
    expect(countBy(stand.emulator.state.writes, (w) => `${w.entity}/${w.op}`)).toEqual(planned);
    const journal = stand.journal();
    expect(new Set(journal.works).size).toBe(journal.works.length);
    expect(journal.works).toHaveLength(planned['works/create']);
  }, 300_000);

  it('ejsync worker started while Redis is down says so (queue.unavailable), keeps trying, and starts once Redis is up', async () => {
    const latePort = await freePort();
    const worker = stand.spawnCli(['worker', '--queues', 'plan,dnevnik-emulator', '--no-schedules'], { REDIS_URL: `redis://127.0.0.1:${latePort}` });
    await worker.waitFor(/\[queue\.unavailable\] Нет соединения с очередью заданий \(Redis\): redis:\/\/127\.0\.0\.1:\d+\/?\. Жду, пока Redis станет доступен/, 30_000);
    expect(worker.output()).toContain(`[${'queue.unavailable'}]`);
    expect(worker.child.exitCode).toBeNull();
    lateRedis = await startBareRedis(latePort);
    await worker.waitFor(WORKER_STARTED, 60_000);
    expect(worker.output()).toContain('Сторож запусков: проверка каждые 30 с');
    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(worker.output()).not.toMatch(/ECONNREFUSED|TCPConnectWrap|\n\s+at /);
  }, 120_000);
});
