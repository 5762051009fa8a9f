'use strict';
// Redis memory of waiting delivery jobs (docs/operations.md, "Sizing"): adds N jobs shaped like
// enqueue-phase.ts's (ids-only data, priority, retry options) under a fresh prefix, sums
// MEMORY USAGE over the prefix's keys (job hashes, the priority set, the event stream, meta),
// and deletes them. Needs Redis at REDIS_URL (default redis://127.0.0.1:6379); no build needed.
//   node bench/redis-job-memory.js [--jobs 5000]
const { randomUUID } = require('node:crypto');
const { Queue } = require('bullmq');
const { Redis } = require('ioredis');
const { parseArgs, round, writeResult } = require('./lib/results');

async function main() {
  const { jobs: n } = parseArgs(process.argv.slice(2), { jobs: 5000 });
  const url = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
  const prefix = `ejbench-${randomUUID().slice(0, 8)}`;
  const redis = new Redis(url);
  const queue = new Queue('deliver-dnevnik-bench', { connection: { url }, prefix });
  const keysUnder = async () => {
    const all = [];
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      all.push(...keys);
    } while (cursor !== '0');
    return all;
  };
  try {
    const jobs = Array.from({ length: n }, (_, i) => ({
      name: 'deliver',
      data: { runId: randomUUID(), changeId: randomUUID(), linkId: 'link-school-0001', phase: 3 },
      opts: { jobId: `${randomUUID()}.${randomUUID()}.g0`, priority: i + 1, attempts: 8, backoff: { type: 'exponential', delay: 2000, jitter: 0.3 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 10000 } },
    }));
    for (let i = 0; i < n; i += 500) await queue.addBulk(jobs.slice(i, i + 500));
    let bytes = 0;
    for (const k of await keysUnder()) bytes += Number(await redis.memory('USAGE', k, 'SAMPLES', '0'));
    const info = await redis.info('server');
    const redisVersion = /redis_version:(\S+)/.exec(info)?.[1];
    const file = writeResult(`redis-job-memory-${n}`, { redisVersion, jobs: n, bytes, bytesPerJob: round(bytes / n, 0), mibPer10000Jobs: round((bytes / n) * 10000 / 2 ** 20, 1) });
    console.log(`${n} waiting delivery jobs: ${round(bytes / 2 ** 20, 1)} MiB, ${round(bytes / n, 0)} bytes per job → ${file}`);
  } finally {
    await queue.close();
    const keys = await keysUnder();
    for (let i = 0; i < keys.length; i += 1000) await redis.del(...keys.slice(i, i + 1000));
    redis.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exitCode = 1;
});
