import { Queue, Worker } from 'bullmq';
import { SCHEDULED_RUN_JOB, schedulerId, syncLinkSchedules } from '../../../src/queue/link-schedules';
import { PLAN_QUEUE } from '../../../src/queue/queue-names';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

describe('nightly schedules (real Redis)', () => {
  let ctx: Awaited<ReturnType<typeof redisTestContext>>;
  let queue: Queue;
  beforeEach(async () => {
    ctx = await redisTestContext();
    queue = new Queue(PLAN_QUEUE, { connection: { url: REDIS_URL }, prefix: ctx.prefix });
  });
  afterEach(async () => {
    await queue.close();
    await ctx.cleanup();
  });

  it('02:00 in Perm is 21:00 UTC the day before, whatever the server zone', async () => {
    await syncLinkSchedules(queue, [{ id: 'perm-1', cron: '0 2 * * *', timeZone: 'Asia/Yekaterinburg', active: true }]);
    const s = await queue.getJobScheduler(schedulerId('perm-1'));
    expect(s?.tz).toBe('Asia/Yekaterinburg');
    const next = new Date(s!.next!);
    expect(next.getUTCHours()).toBe(21);
    expect(next.getUTCMinutes()).toBe(0);
    await syncLinkSchedules(queue, [{ id: 'msk-1', cron: '0 2 * * *', timeZone: 'Europe/Moscow', active: true }]);
    const moscow = await queue.getJobScheduler(schedulerId('msk-1'));
    expect(new Date(moscow!.next!).getUTCHours()).toBe(23);
  });

  it('is idempotent and removes schedules of paused links', async () => {
    const links = [
      { id: 'a', cron: '0 2 * * *', timeZone: 'Asia/Yekaterinburg', active: true },
      { id: 'b', cron: '30 3 * * *', timeZone: 'Asia/Yekaterinburg', active: true },
    ];
    await syncLinkSchedules(queue, links);
    await syncLinkSchedules(queue, links);
    expect(await queue.getJobSchedulersCount()).toBe(2);
    const result = await syncLinkSchedules(queue, [links[0], { ...links[1], active: false }]);
    expect(result.removed).toEqual([schedulerId('b')]);
    expect(await queue.getJobSchedulersCount()).toBe(1);
  });

  it('a short cron fires scheduled-run jobs carrying only the link id', async () => {
    await syncLinkSchedules(queue, [{ id: 'fast', cron: '* * * * * *', timeZone: 'Asia/Yekaterinburg', active: true }]);
    const seen: unknown[] = [];
    const worker = new Worker(
      PLAN_QUEUE,
      async (job) => {
        seen.push({ name: job.name, data: job.data });
      },
      { connection: { url: REDIS_URL, maxRetriesPerRequest: null }, prefix: ctx.prefix },
    );
    try {
      const deadline = Date.now() + 8000;
      while (seen.length < 2 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    } finally {
      await worker.close();
    }
    expect(seen.length).toBeGreaterThanOrEqual(2);
    expect(seen[0]).toEqual({ name: SCHEDULED_RUN_JOB, data: { linkId: 'fast' } });
  });
});
