import http from 'node:http';
import { Queue } from 'bullmq';
import { dispatchRunAlerts, startAlertWorker } from '../../../src/queue/alerts/alert-dispatcher';
import { verifyWebhook } from '../../../src/queue/alerts/webhook';
import { ALERT_QUEUE } from '../../../src/queue/queue-names';
import type { Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

describe('alert delivery through the queue (real Redis, PGlite)', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  beforeEach(async () => {
    ({ store, cleanup } = await freshStore('pglite'));
  });
  afterEach(async () => cleanup());

  it('a failed run alerts once per channel; a failing receiver is retried and every attempt logged', async () => {
    const received: { body: string; signature: string }[] = [];
    let refuse = 1;
    const server = http.createServer((req, res) => {
      let body = '';
      req.on('data', (c) => (body += c));
      req.on('end', () => {
        if (refuse-- > 0) return void res.writeHead(502).end();
        received.push({ body, signature: String(req.headers['x-ejsync-signature']) });
        res.writeHead(204).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    const port = (server.address() as { port: number }).port;
    const redis = await redisTestContext();
    const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
    const alertQueue = new Queue(ALERT_QUEUE, { connection, prefix: redis.prefix });
    const config = { webhook: { url: `http://127.0.0.1:${port}/hook`, secretEnv: 'TEST_HOOK_SECRET' }, consecutiveFailures: 3 };
    const env = { TEST_HOOK_SECRET: 'k3y' };
    const worker = startAlertWorker({ store, config, env }, { connection, prefix: redis.prefix });
    try {
      await store.runs.create({ id: 'run-x', linkId: 'link-1', schoolId: 'school-1', trigger: 'schedule', environment: 'emulator' });
      await store.runs.transition('run-x', 'applying');
      const run = await store.runs.transition('run-x', 'failed', { errorCode: 'delivery.failed' });
      expect(await dispatchRunAlerts({ store, alertQueue, config, env }, run)).toEqual(['run_failed.run-x.webhook']);
      expect(await dispatchRunAlerts({ store, alertQueue, config, env }, run)).toEqual([]);
      const deadline = Date.now() + 15_000;
      while (received.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
      expect(received).toHaveLength(1);
      expect(verifyWebhook(received[0].body, received[0].signature, 'k3y', new Date())).toBe(true);
      expect(JSON.parse(received[0].body)).toMatchObject({ kind: 'run_failed', runId: 'run-x' });
      // The receiver has the body before the worker records the answer: wait for the record.
      let logged = await store.alerts.get('run_failed.run-x.webhook');
      while (logged?.status !== 'sent' && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 100));
        logged = await store.alerts.get('run_failed.run-x.webhook');
      }
      expect(logged).toMatchObject({ status: 'sent', attempts: 2 });
    } finally {
      await worker.close();
      await alertQueue.close();
      await redis.cleanup();
      server.close();
    }
  });
});
