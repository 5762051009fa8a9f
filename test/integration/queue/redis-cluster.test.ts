import { randomUUID } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { Cluster } from 'ioredis';
import { readEnvironment } from '../../../src/config/environment';
import { linkConfigSchema, type LinkConfig } from '../../../src/config/link-config';
import { generateSchool } from '../../../src/connectors/demo-school';
import { authorizeUrl, exchangeCode, valueMapsOf } from '../../../src/connectors/dnevnik';
import { consentAs, onboardSchool, startDnevnikEmulator } from '../../../src/connectors/dnevnik/emulator';
import { SnapshotCollector } from '../../../src/model';
import { oauthClientFor, tokenNameOf } from '../../../src/queue/dnevnik-connector-factory';
import { openPipelineRuntime } from '../../../src/queue/pipeline-runtime';
import { createRedisClient } from '../../../src/queue/redis-connection';
import { checkEvictionPolicy, warnAboutEvictionPolicy } from '../../../src/queue/redis-eviction-check';
import { RedisRequestGate } from '../../../src/queue/redis-request-gate';
import { dropSchema, generateSecretKey } from '../../../src/store';
import { DATABASE_URL } from '../../helpers/database';
import { startLocalRedisCluster, type LocalRedisCluster } from '../../helpers/redis-cluster';
import { WORLD_NOW, writeMisJson } from '../../helpers/school-world';

// A real three-master Redis Cluster started for this file (fails, never skips, without redis-server).
let cluster: LocalRedisCluster;
beforeAll(async () => {
  cluster = await startLocalRedisCluster();
}, 60_000);
afterAll(async () => {
  await cluster?.stop();
});

const tag = () => `{ejt-${randomUUID().slice(0, 8)}}`;

describe('Redis Cluster', () => {
  it('start-up refuses a queue prefix without a hash tag on a cluster, saying what to set', () => {
    const base = { REDIS_CLUSTER_NODES: cluster.nodesVariable };
    expect(() => readEnvironment({ ...base, EJSYNC_QUEUE_PREFIX: 'ejsync' })).toThrow(/EJSYNC_QUEUE_PREFIX.*Redis Cluster.*EJSYNC_QUEUE_PREFIX=\{ejsync\}/);
    expect(() => readEnvironment({ REDIS_CLUSTER_NODES: '127.0.0.1' })).toThrow(/REDIS_CLUSTER_NODES: список узлов/);
    const env = readEnvironment({ ...base, EJSYNC_QUEUE_PREFIX: '{ejsync}' });
    expect(env.redisClusterNodes).toEqual(cluster.nodes);
    expect(env.queuePrefix).toBe('{ejsync}');
  });

  it('the shared request gate works there: its scripts keep their keys in the prefix tag’s slot', async () => {
    const redis = createRedisClient({ url: 'redis://127.0.0.1', clusterNodes: cluster.nodes }, 'worker');
    try {
      const prefix = tag();
      const gate = new RedisRequestGate(redis, `${prefix}:request-gate:dnevnik-emulator:token-1`, { max: 10, durationMs: 1000, marginMs: 0 });
      const started = Date.now();
      for (let i = 0; i < 4; i++) await gate.acquire();
      // Evenly spaced: the 4th request is 3 intervals (3 × 100 ms) after the first.
      expect(Date.now() - started).toBeGreaterThanOrEqual(280);
      // Each request recorded; one whose record was answered late (a loaded machine) is counted and
      // recorded again — a slot lost, never one too many — so the log holds at least the four.
      expect(await redis.llen(`${prefix}:request-gate:dnevnik-emulator:token-1:sent`)).toBeGreaterThanOrEqual(4);
      gate.pauseFor(2000);
      await new Promise((r) => setTimeout(r, 50));
      expect(await gate.stepAsideMs()).toBeGreaterThan(1000);
      // Without the tag the same keys land in different slots and the script is refused: the tag is what makes it work.
      const untagged = new RedisRequestGate(redis, 'ejt-untagged:request-gate:lane:token', { max: 10, durationMs: 1000 });
      await expect(untagged.reserve()).rejects.toThrow(/CROSSSLOT/);
      await redis.del(...['next', 'sent', 'pause', 'back'].map((s) => `${prefix}:request-gate:dnevnik-emulator:token-1:${s}`));
    } finally {
      redis.disconnect();
    }
  });

  it('a sync runs through the pipeline on the cluster (queues, workers, request gate) to the Дневник.ру emulator', async () => {
    process.env.EJSYNC_SECRET_KEY ??= generateSecretKey();
    const schema = `rc_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    const dir = await mkdtemp(path.join(os.tmpdir(), 'ejsync-cluster-'));
    const env = readEnvironment({
      EJSYNC_HOME: dir,
      DATABASE_URL,
      EJSYNC_DATABASE_SCHEMA: schema,
      REDIS_CLUSTER_NODES: cluster.nodesVariable,
      EJSYNC_QUEUE_PREFIX: tag(),
      EJSYNC_SECRET_KEY: process.env.EJSYNC_SECRET_KEY,
      EJSYNC_LOG_LEVEL: 'warn',
    });
    const runtime = await openPipelineRuntime({ env, appConfig: {}, now: () => WORLD_NOW });
    const collector = new SnapshotCollector();
    await generateSchool(collector, { pupils: 8, seed: 'ejsync-cluster', weeks: 1 });
    const source = collector.snapshot();
    const { platform } = onboardSchool(source);
    const emulator = await startDnevnikEmulator(platform, valueMapsOf(runtime.platformConfig), { requestLimit: { max: 1000, windowMs: 1000 } });
    try {
      runtime.startWorkers({ concurrency: 4, alerts: false });
      const exportFile = path.join(dir, 'mis.json');
      await writeMisJson(exportFile, source);
      const link: LinkConfig = linkConfigSchema.parse({
        id: 'cluster-a',
        name: 'Школа → Дневник.ру (эмулятор, Redis Cluster)',
        school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone },
        source: { path: exportFile, format: 'mis-json' },
        target: { platform: 'dnevnik', installation: 'emulator', schoolId: platform.school.sourceId, baseUrl: emulator.apiBase },
        policy: { additionsOnly: { windows: [] }, blackout: { windows: [] } },
      });
      const app = oauthClientFor(link, runtime.platformConfig);
      const code = new URL(await consentAs(authorizeUrl(app, runtime.platformConfig.scopes, 'http://127.0.0.1/ejsync/callback', 'cluster'))).searchParams.get('code')!;
      await runtime.ctx.store.secrets.put(tokenNameOf(link), JSON.stringify(await exchangeCode(app, code)));
      await runtime.ctx.store.links.upsert({ id: link.id, name: link.name, schoolId: link.school.sourceId, platform: 'dnevnik', config: link });
      const marksBefore = emulator.state.marks.size;
      const run = await runtime.waitForRun((await runtime.startRun(link, 'demo')).id, { timeoutMs: 40_000 });
      expect(run.status).toBe('succeeded');
      expect(run.writes).toBeGreaterThan(0);
      expect(emulator.state.marks.size).toBeGreaterThan(marksBefore);
      // The queues live on the cluster under the tagged prefix, all in one slot.
      const redis = createRedisClient({ url: env.redisUrl, clusterNodes: env.redisClusterNodes }, 'producer') as Cluster;
      try {
        await redis.ping();
        const slots = new Set<number>();
        for (const node of redis.nodes('master')) {
          const keys = await node.keys(`${env.queuePrefix}:*`);
          for (const k of keys) slots.add(Number(await node.cluster('KEYSLOT', k)));
        }
        expect(slots.size).toBe(1);
      } finally {
        redis.disconnect();
      }
    } finally {
      await emulator.close().catch(() => undefined);
      await runtime.close().catch(() => undefined);
      await dropSchema(DATABASE_URL, schema);
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('the start-up check of maxmemory-policy looks at every master and warns in Russian when one evicts', async () => {
    const redis = createRedisClient({ url: 'redis://127.0.0.1', clusterNodes: cluster.nodes }, 'producer') as Cluster;
    try {
      expect(await checkEvictionPolicy(redis)).toEqual({ state: 'ok' });
      expect(redis.nodes('master')).toHaveLength(3);
      expect(await warnAboutEvictionPolicy(redis)).toBeNull();
      const [, second] = redis.nodes('master');
      await second.config('SET', 'maxmemory-policy', 'allkeys-lru');
      expect(await checkEvictionPolicy(redis)).toEqual({ state: 'evicting', policies: ['allkeys-lru'] });
      expect(await warnAboutEvictionPolicy(redis)).toMatch(/maxmemory-policy = allkeys-lru.*noeviction/);
    } finally {
      redis.disconnect();
    }
  });
});
