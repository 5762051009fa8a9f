import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runDemoSync } from '../../../src/cli/demo-sync';
import { demoLinkId } from '../../../src/cli/demo-home';
import { openStore } from '../../../src/store';
import { redisTestContext } from '../../helpers/redis';
import { startDemoServer } from '../../../src/cli/serve-demo';
import { readEnvironment } from '../../../src/config/environment';

jest.setTimeout(180_000);

describe('ejsync demo: its own store under $EJSYNC_HOME/demo, a link per seed and size, EJSYNC_QUEUE_PREFIX honoured, no keys left', () => {
  const saved = { ...process.env };
  let home: string;
  let redis: Awaited<ReturnType<typeof redisTestContext>>;
  beforeAll(async () => {
    redis = await redisTestContext();
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-demo-home-'));
    process.env.EJSYNC_HOME = home;
    process.env.EJSYNC_QUEUE_PREFIX = redis.prefix;
    delete process.env.DATABASE_URL;
    delete process.env.EJSYNC_DATABASE_SCHEMA;
    delete process.env.EJSYNC_SECRET_KEY;
  });
  afterAll(async () => {
    process.env = saved;
    await redis.cleanup();
    rmSync(home, { recursive: true, force: true });
  });

  it('runs twice in one home with other options, keeps apart from the real store and leaves no Redis keys', async () => {
    const say = () => undefined;
    for (const options of [{ seed: 'first', pupils: 24, weeks: 1 }, { seed: 'second', pupils: 30, weeks: 1 }]) {
      const result = await runDemoSync({ ...options, say });
      expect(result.runs.map((r) => r.run.status)).toEqual(['succeeded', 'succeeded']);
      expect(result.runs[0].run.linkId).toBe(demoLinkId('dnevnik', options));
      expect(result.runs[1].emulatorWrites).toBe(0);
    }
    expect(demoLinkId('dnevnik', { seed: 'first', pupils: 24, weeks: 1 })).not.toBe(demoLinkId('dnevnik', { seed: 'first', pupils: 25, weeks: 1 }));

    // Everything the demo touched in Redis was under EJSYNC_QUEUE_PREFIX, and is gone.
    const [, keys] = await redis.redis.scan('0', 'MATCH', `${redis.prefix}*`, 'COUNT', 10_000);
    let cursor = '0';
    const left: string[] = [];
    do {
      const [next, batch] = await redis.redis.scan(cursor, 'MATCH', `${redis.prefix}*`, 'COUNT', 1000);
      left.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    expect([...keys, ...left]).toEqual([]);

    // The demo's runs, links and key live under home/demo; the installation's store stays empty.
    expect(existsSync(path.join(home, 'demo', 'secret-key'))).toBe(true);
    const demoStore = await openStore({ home: path.join(home, 'demo') });
    try {
      expect((await demoStore.runs.list({})).length).toBe(4);
    } finally {
      await demoStore.close();
    }
    expect(existsSync(path.join(home, 'db'))).toBe(false);
  });

  it('serve --demo works under EJSYNC_QUEUE_PREFIX and leaves no keys behind', async () => {
    const env = { ...readEnvironment(), databaseUrl: undefined, databaseSchema: undefined, home: ':memory:' };
    expect(env.queuePrefix).toBe(redis.prefix);
    const demo = await startDemoServer({ env, pupils: 10, logger: { warn: () => undefined } });
    let during = 0;
    try {
      const [, found] = await redis.redis.scan('0', 'MATCH', `${redis.prefix}-demo-*`, 'COUNT', 100_000);
      during = found.length;
    } finally {
      await demo.close();
    }
    expect(during).toBeGreaterThan(0);
    const left: string[] = [];
    let cursor = '0';
    do {
      const [next, batch] = await redis.redis.scan(cursor, 'MATCH', `${redis.prefix}*`, 'COUNT', 1000);
      left.push(...batch);
      cursor = next;
    } while (cursor !== '0');
    expect(left).toEqual([]);
  });
});
