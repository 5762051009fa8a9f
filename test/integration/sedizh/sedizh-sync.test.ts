import { Queue, type Worker } from 'bullmq';
import { linkConfigSchema, type LinkConfig } from '../../../src/config/link-config';
import { loadSedizhPlatform } from '../../../src/config/sedizh-config';
import { generateSchool } from '../../../src/connectors/demo-school';
import { startSedizhEmulator, type SedizhEmulator } from '../../../src/connectors/sedizh/emulator';
import { SnapshotCollector, type Snapshot } from '../../../src/model';
import type { PackageMapping } from '../../../src/mappers/sedizh';
import { PipelineMetrics } from '../../../src/queue/metrics';
import { deliveryQueueName, PLAN_QUEUE } from '../../../src/queue/queue-names';
import type { PipelineContext } from '../../../src/queue/run-pipeline/pipeline-context';
import { startPipelineWorkers } from '../../../src/queue/run-pipeline/pipeline-workers';
import { startRun } from '../../../src/queue/run-pipeline/start-run';
import { rollbackRun } from '../../../src/queue/run-pipeline/rollback-run';
import { SEQUENCE_CURSOR, sedizhConnectorFor, sedizhDeliveryLanes, sedizhTargetOf } from '../../../src/queue/sedizh-connector-factory';
import type { RunRecord, Store } from '../../../src/store';
import { freshStore } from '../../helpers/database';
import { runShowText } from '../../../src/cli/run-report';
import { REDIS_URL, redisTestContext } from '../../helpers/redis';

const config = loadSedizhPlatform();
/** Friday 10:00 in Perm: before the cut-off. */
const NOW = new Date('2026-11-13T10:00:00+05:00');

function sedizhLink(url: string, schoolId: string): LinkConfig {
  return linkConfigSchema.parse({
    id: 'perm-school-1',
    name: 'МБОУ СОШ № 1 → ЭПОС (эмулятор)',
    school: { sourceId: schoolId, timeZone: 'Asia/Yekaterinburg' },
    source: { path: '/unused' },
    target: { platform: 'sedizh', installation: 'emulator', schoolId: '5900000001', baseUrl: url },
    policy: { additionsOnly: { windows: [] } },
  });
}

/**
 * A link with `target.platform: "sedizh"` syncs the generated school through the real queue
 * (Redis, PostgreSQL) into the СЭДиЖ emulator: the first run delivers every record in packages,
 * the second writes nothing.
 */
describe('sync of the generated school into the СЭДиЖ emulator through the queue', () => {
  let store: Store;
  let cleanup: () => Promise<void>;
  let emulator: SedizhEmulator;
  let school: Snapshot;

  beforeAll(async () => {
    const c = new SnapshotCollector();
    await generateSchool(c, { pupils: 30, seed: 'sedizh-sync', weeks: 1 });
    school = c.snapshot();
  });
  let clock = NOW;
  beforeEach(async () => {
    clock = NOW;
    ({ store, cleanup } = await freshStore('postgres'));
    emulator = await startSedizhEmulator({ mapping: config.mapping as PackageMapping, now: () => clock });
  });
  afterEach(async () => {
    await emulator.close();
    await cleanup();
  });

  async function stand() {
    const redis = await redisTestContext();
    const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
    const queues = new Map<string, Queue>();
    const queue = (name: string) => {
      if (!queues.has(name)) queues.set(name, new Queue(name, { connection, prefix: redis.prefix }));
      return queues.get(name)!;
    };
    const ctx: PipelineContext = {
      store,
      planQueue: queue(PLAN_QUEUE),
      deliveryQueue: (lane) => queue(deliveryQueueName(lane)),
      readSource: async () => ({ format: 'mis-json', snapshot: school, findings: [], counts: {} }),
      connectorFor: async (link) => sedizhConnectorFor(link, store, config, () => clock),
      now: () => clock,
      metrics: new PipelineMetrics(),
      retryPolicy: () => ({ ...config.retry, backoffMs: 50 }),
    };
    const workers: Worker[] = startPipelineWorkers(ctx, { connection, prefix: redis.prefix, lanes: sedizhDeliveryLanes(config), lockDurationMs: 5000, stalledIntervalMs: 2000, concurrency: 16 });
    const waitFor = async (id: string): Promise<RunRecord> => {
      for (;;) {
        const run = await store.runs.require(id);
        if (['succeeded', 'partial', 'failed', 'held'].includes(run.status)) return run;
        await new Promise((r) => setTimeout(r, 100));
      }
    };
    return {
      ctx,
      waitFor,
      async close() {
        await Promise.all(workers.map((w) => w.close()));
        for (const q of queues.values()) await q.close();
        await redis.cleanup();
      },
    };
  }

  it('first run delivers everything, the second writes nothing; packages numbered in order', async () => {
    const { ctx, waitFor, close } = await stand();
    try {
      const link = sedizhLink(emulator.url, school.school.sourceId);
      const target = sedizhTargetOf(link, config);
      expect(target).toMatchObject({ environment: 'emulator', address: emulator.url });
      const run1 = await startRun(ctx, link, { trigger: 'demo', environment: target.environment, targetUrl: target.address });
      const done1 = await waitFor(run1.id);
      const failed = await store.changes.list(run1.id, { status: 'failed' });
      expect(failed.map((c) => `${c.entity} ${c.lastErrorCode}`)).toEqual([]);
      expect(done1.status).toBe('succeeded');
      const changes = await store.changes.list(run1.id);
      expect(changes.length).toBeGreaterThan(500);
      expect(done1.writes).toBe(changes.length);
      // Every record reached the platform once; packages carried many records each.
      expect(emulator.state.writes).toHaveLength(changes.length);
      const packages = new Set(emulator.state.writes.map((w) => w.packageId));
      expect(packages.size).toBeLessThan(changes.length / 2);
      const log = await store.deliveries.forRun(run1.id);
      expect(log.filter((a) => a.outcome === 'succeeded')).toHaveLength(changes.length);
      expect(log.every((a) => a.method === 'POST' && /пакет [0-9a-f-]{36}/.test(a.path ?? ''))).toBe(true);
      expect(Number(await store.cursors.get(link.id, SEQUENCE_CURSOR))).toBe(packages.size);
      const entities = new Set(changes.map((c) => c.entity));
      for (const e of ['pupils', 'staff', 'classes', 'subgroups', 'memberships', 'timetable', 'lessons', 'works', 'marks', 'attendance']) expect(entities).toContain(e);

      const run2 = await startRun(ctx, link, { trigger: 'demo', environment: target.environment, targetUrl: target.address });
      const done2 = await waitFor(run2.id);
      expect(done2.status).toBe('succeeded');
      expect(done2.writes).toBe(0);
      expect(await store.changes.list(run2.id)).toEqual([]);
      expect(emulator.state.writes).toHaveLength(changes.length);

      // A rollback removes what the first run created, in packages too, each undo read back from the export.
      const { run: undo } = await rollbackRun(ctx, run1.id, { actorOid: '1000100002', actorName: 'Админов С. П.' });
      const undone = await waitFor(undo.id);
      const notUndone = await store.changes.list(undo.id, { status: 'failed' });
      expect(notUndone.map((c) => `${c.entity} ${c.lastErrorCode}`)).toEqual([]);
      expect(undone.status).toBe('succeeded');
      expect(emulator.state.schools.get('5900000001')!.count()).toBe(0);
      expect(emulator.state.writes.filter((w) => w.op === 'delete')).toHaveLength(changes.length);
    } finally {
      await close();
    }
  }, 120_000);

  it('after the 14:00 cut-off: the report says from when it is in effect, and the next plan sends nothing again', async () => {
    clock = new Date('2026-11-13T16:00:00+05:00'); // Friday afternoon: in effect on Monday
    const { ctx, waitFor, close } = await stand();
    try {
      const link = sedizhLink(emulator.url, school.school.sourceId);
      const run1 = await waitFor((await startRun(ctx, link, { trigger: 'demo', environment: 'emulator' })).id);
      expect(run1.status).toBe('succeeded');
      const later = await store.deliveries.acceptedForLater(run1.id);
      expect(later).toEqual([{ effectiveFrom: '2026-11-16', n: run1.writes }]);
      const report = await runShowText(store, run1);
      expect(report).toContain('Принято платформой, вступит в силу позже (час отсечки):');
      expect(report).toContain(`  ${run1.writes} зап. — в силе с 2026-11-16`);

      const run2 = await waitFor((await startRun(ctx, link, { trigger: 'demo', environment: 'emulator' })).id);
      expect({ status: run2.status, writes: run2.writes }).toEqual({ status: 'succeeded', writes: 0 });
      const pending = (await store.findings.forRun(run2.id, 100)).filter((f) => f.code === 'sedizh.pending_effect');
      expect(pending.length).toBeGreaterThan(5);
      expect(pending.every((f) => f.message.endsWith('в силе с 2026-11-16'))).toBe(true);
      expect(emulator.state.writes).toHaveLength(run1.writes);
    } finally {
      await close();
    }
  }, 120_000);
});
