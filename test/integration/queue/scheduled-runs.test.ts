import { randomUUID } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { linkConfigSchema } from '../../../src/config/link-config';
import { openPipelineRuntime, type PipelineRuntime } from '../../../src/queue/pipeline-runtime';
import { dropSchema } from '../../../src/store';
import { DATABASE_URL } from '../../helpers/database';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

const until = async <T>(what: () => Promise<T | undefined>, timeoutMs: number): Promise<T> => {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await what();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 100));
  }
};

/**
 * The nightly schedule end to end through the worker's runtime: a registered link's scheduler
 * fires (a seconds cron stands in for 02:00), the planning worker starts a run with the trigger
 * `schedule`, and a paused link gets none.
 */
describe('scheduled runs (real Redis, real PostgreSQL)', () => {
  const schema = `t_${randomUUID().replace(/-/g, '').slice(0, 16)}`;
  let redis: Awaited<ReturnType<typeof redisTestContext>>;
  let runtime: PipelineRuntime;
  let home: string;

  beforeAll(async () => {
    redis = await redisTestContext();
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-sched-'));
    runtime = await openPipelineRuntime({
      env: { home, databaseUrl: DATABASE_URL, databaseSchema: schema, redisUrl: REDIS_URL, queuePrefix: redis.prefix, secretKey: Buffer.alloc(32, 9).toString('base64'), logLevel: 'silent' },
      appConfig: {},
    });
  });
  afterAll(async () => {
    await runtime?.close();
    await redis?.cleanup();
    await dropSchema(DATABASE_URL, schema);
    rmSync(home, { recursive: true, force: true });
  });

  it('a due schedule starts one run with the trigger «schedule»; pausing the link stops them', async () => {
    const link = linkConfigSchema.parse({
      id: 'sched-1',
      name: 'Школа по расписанию',
      school: { sourceId: 'school-s', timeZone: 'Asia/Yekaterinburg' },
      // Nothing to read: every run ends at once (failed), so the next tick may start another.
      source: { path: path.join(home, 'missing-export') },
      target: { installation: 'emulator', schoolId: '1000002283077000001', baseUrl: 'http://127.0.0.1:9/v2' },
      schedule: { cron: '*/2 * * * * *' },
    });
    await runtime.ctx.store.links.upsert({ id: link.id, name: link.name, schoolId: link.school.sourceId, platform: 'dnevnik', config: link });
    expect((await runtime.syncSchedules()).upserted).toEqual(['nightly.sched-1']);
    runtime.startWorkers({ plan: true, platforms: [], alerts: false });

    const first = await until(async () => (await runtime.ctx.store.runs.list({ linkId: link.id })).find((r) => r.trigger === 'schedule'), 20_000);
    expect(first.schoolId).toBe('school-s');
    const settled = await runtime.waitForRun(first.id, { timeoutMs: 20_000 });
    expect(settled.status).toBe('failed');
    expect(settled.errorCode).toBe('delivery.source_unreadable');
    await until(async () => ((await runtime.ctx.store.runs.list({ linkId: link.id })).length >= 2 ? true : undefined), 20_000);

    await runtime.ctx.store.links.setPaused(link.id, true);
    expect((await runtime.syncSchedules()).removed).toEqual(['nightly.sched-1']);
    // A tick already taken may still start one run; after that, none.
    await new Promise((r) => setTimeout(r, 2500));
    const afterPause = (await runtime.ctx.store.runs.list({ linkId: link.id })).length;
    await new Promise((r) => setTimeout(r, 4500));
    expect((await runtime.ctx.store.runs.list({ linkId: link.id })).length).toBe(afterPause);
    const all = await runtime.ctx.store.runs.list({ linkId: link.id });
    expect(all.every((r) => r.trigger === 'schedule')).toBe(true);
  }, 90_000);
});
