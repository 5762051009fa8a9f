import { createServer } from 'node:net';
import { startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  const port = (server.address() as { port: number }).port;
  await new Promise((r) => server.close(r));
  return port;
}

/** `ejsync worker --metrics-port`: /healthz, /readyz (Redis and PostgreSQL answer), /metrics (built CLI, real Redis/PostgreSQL). */
describe('worker ops endpoints', () => {
  let stand: CliStand;
  let worker: CliProcess | undefined;
  beforeAll(async () => {
    stand = await startCliStand({ pupils: 5, seed: 'ops' });
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    if (worker) await worker.exited;
    await stand?.close();
  });

  it('answers /healthz, /readyz and /metrics', async () => {
    const port = await freePort();
    worker = await stand.startWorker(['--queues', 'plan', '--no-schedules', '--metrics-port', String(port)]);
    const base = `http://127.0.0.1:${port}`;
    const health = await fetch(`${base}/healthz`);
    expect(health.status).toBe(200);
    const ready = await fetch(`${base}/readyz`);
    expect(ready.status).toBe(200);
    const body = (await ready.json()) as { status: string; checks: { name: string; ok: boolean }[] };
    expect(body.status).toBe('ready');
    expect(body.checks.map((c) => [c.name, c.ok])).toEqual([['redis', true], ['store', true]]);
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('# TYPE ejsync_deliveries_total counter');
    expect(metrics).toMatch(/ejsync_queue_jobs\{queue="plan",state="waiting"\} \d+/);
    expect(metrics).toContain('ejsync_queue_scrape_ok 1');
    expect(metrics).toContain('ejsync_process_nodejs_eventloop_lag_max_seconds');
  }, 90_000);
});
