import type { Queue, Worker } from 'bullmq';
import type { Redis } from 'ioredis';

/** BullMQ's Redis backend hands out its ioredis connection (typed as its own narrower client interface). */
type TurnClient = Pick<Redis, 'eval' | 'get' | 'del'>;
const clientOf = async (owner: Queue | Worker): Promise<TurnClient> => (await owner.getBackend().client) as unknown as TurnClient;

/** Raises `<queue>:turn` to ARGV[1] unless it is there already. */
const RAISE = `
local turn = tonumber(redis.call('GET', KEYS[1]) or '0')
if tonumber(ARGV[1]) > turn then redis.call('SET', KEYS[1], ARGV[1]) end
return 0
`;

/**
 * A delivery lane's current turn: the highest rank (BullMQ priority) a delivery of this lane has
 * started with. Runs of different schools take turns in a lane; a phase queued now is ranked from
 * here, so it neither jumps ahead of the runs already waiting nor waits behind all of them. Jobs
 * that come back from a delay with an old, low rank do not move the turn back.
 */
export async function raiseLaneTurn(worker: Worker, priority: number): Promise<void> {
  if (!priority) return;
  const client = await clientOf(worker);
  await client.eval(RAISE, 1, worker.toKey('turn'), priority);
}

/** The lane's current turn; 0, and reset to 0, when the lane has nothing waiting, delayed or running. */
export async function laneTurn(queue: Queue): Promise<number> {
  const client = await clientOf(queue);
  const counts = await queue.getJobCounts('prioritized', 'wait', 'delayed', 'active');
  if (Object.values(counts).every((n) => n === 0)) {
    await client.del(queue.toKey('turn'));
    return 0;
  }
  return Number((await client.get(queue.toKey('turn'))) ?? 0);
}
