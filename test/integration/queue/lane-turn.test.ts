import { Queue, Worker } from 'bullmq';
import { laneTurn, raiseLaneTurn } from '../../../src/queue/lane-turn';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

/** The lane's current turn in Redis (real Redis, own prefix). */
describe('lane turn', () => {
  it('follows the highest rank started, ignores an old low rank waiting, and resets when the lane is empty', async () => {
    const ctx = await redisTestContext();
    const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
    const queue = new Queue('deliver-dnevnik-test', { connection, prefix: ctx.prefix });
    // Not started: its Redis client only raises the turn here.
    const worker = new Worker('deliver-dnevnik-test', null, { connection, prefix: ctx.prefix, autorun: false });
    try {
      expect(await laneTurn(queue)).toBe(0);
      // A retried delivery waits with an old rank, 3, while the lane has started rank 37.
      await queue.add('deliver', {}, { priority: 3, delay: 60_000 });
      await raiseLaneTurn(worker, 37);
      await raiseLaneTurn(worker, 12);
      expect(await laneTurn(queue)).toBe(37);
      await queue.add('deliver', {}, { priority: 3 });
      expect(await laneTurn(queue)).toBe(37);
      // Nothing waiting, delayed or running: the turn starts again from 0.
      await queue.obliterate({ force: true });
      await raiseLaneTurn(worker, 50);
      expect(await laneTurn(queue)).toBe(0);
      await queue.add('deliver', {}, { priority: 1 });
      expect(await laneTurn(queue)).toBe(0);
    } finally {
      await worker.close();
      await queue.close();
      await ctx.cleanup();
    }
  });
});
