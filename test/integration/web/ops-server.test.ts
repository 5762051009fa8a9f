import { Redis } from 'ioredis';
import { Registry, Counter } from 'prom-client';
import { buildOpsServer } from '../../../src/web/ops-server';
import { REDIS_URL } from '../../helpers/redis';

describe('ops server: /healthz, /readyz, /metrics', () => {
  it('is ready when Redis answers, and serves the registry', async () => {
    const redis = new Redis(REDIS_URL, { maxRetriesPerRequest: 1 });
    const registry = new Registry();
    new Counter({ name: 'ejsync_test_total', help: 'x', registers: [registry] }).inc(3);
    const app = buildOpsServer({ checks: [{ name: 'redis', check: () => redis.ping() }], registry });
    try {
      expect((await app.inject('/healthz')).json()).toEqual({ status: 'ok' });
      const ready = await app.inject('/readyz');
      expect(ready.statusCode).toBe(200);
      expect(ready.json()).toMatchObject({ status: 'ready', checks: [{ name: 'redis', ok: true }] });
      const metrics = await app.inject('/metrics');
      expect(metrics.headers['content-type']).toContain('text/plain');
      expect(metrics.body).toContain('ejsync_test_total 3');
    } finally {
      await app.close();
      await redis.quit();
    }
  });

  it('is not ready (503, per-check status) when Redis is on a closed port', async () => {
    const redis = new Redis({ host: '127.0.0.1', port: 1, maxRetriesPerRequest: 0, retryStrategy: () => null, lazyConnect: true });
    redis.on('error', () => undefined);
    const app = buildOpsServer({ checks: [{ name: 'redis', check: () => redis.connect().then(() => redis.ping()) }, { name: 'other', check: async () => 'ok' }], checkTimeoutMs: 1000 });
    try {
      const started = Date.now();
      const res = await app.inject('/readyz');
      expect(Date.now() - started).toBeLessThan(2000);
      expect(res.statusCode).toBe(503);
      const body = res.json() as { status: string; checks: { name: string; ok: boolean; error?: string }[] };
      expect(body.status).toBe('not_ready');
      expect(body.checks.find((c) => c.name === 'redis')).toMatchObject({ ok: false, error: expect.any(String) });
      expect(body.checks.find((c) => c.name === 'other')).toMatchObject({ ok: true });
      expect((await app.inject('/healthz')).statusCode).toBe(200);
    } finally {
      await app.close();
      redis.disconnect();
    }
  });
});
