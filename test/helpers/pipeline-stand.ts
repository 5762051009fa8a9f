import { Queue, type Worker } from 'bullmq';
import type { Logger } from 'pino';
import { linkConfigSchema, type LinkConfig } from '../../src/config/link-config';
import type { SourceReadResult, Snapshot } from '../../src/model';
import { deliveryQueueName, PLAN_QUEUE } from '../../src/queue/queue-names';
import type { PipelineContext } from '../../src/queue/run-pipeline/pipeline-context';
import { startPipelineWorkers } from '../../src/queue/run-pipeline/pipeline-workers';
import type { RunRecord, Store } from '../../src/store';
import type { TargetConnector } from '../../src/connectors/target-connector';
import { REDIS_URL, redisTestContext } from './redis';
import { PipelineMetrics } from '../../src/queue/metrics';
import { loadDnevnikPlatform } from '../../src/config/platform-config';
import { dnevnikDeliveryLanes } from '../../src/queue/dnevnik-connector-factory';

export function testLink(overrides: Partial<LinkConfig> = {}): LinkConfig {
  return {
    ...linkConfigSchema.parse({
      id: 'link-1',
      name: 'МБОУ СОШ № 1 → Дневник.ру (эмулятор)',
      school: { sourceId: 'school-1', timeZone: 'Asia/Yekaterinburg' },
      source: { path: '/unused' },
      target: { installation: 'dnevnik', schoolId: '1000002283077' },
      policy: { additionsOnly: { windows: [] } },
    }),
    ...overrides,
  };
}

/** Real Redis queues (unique prefix) + workers over a store and a connector (or one per link). */
export async function startPipelineStand(
  store: Store,
  connector: TargetConnector | ((link: LinkConfig) => TargetConnector),
  source: (link: LinkConfig) => Snapshot,
  now = () => new Date('2026-09-20T10:00:00+05:00'),
  /** Slots of each lane's worker. @defaultValue 8 */
  laneConcurrency?: number,
  /** Where the workers log (each job through a child logger bound to its ids). @defaultValue none */
  options: { logger?: Logger } = {},
) {
  const redis = await redisTestContext();
  const connection = { url: REDIS_URL, maxRetriesPerRequest: null };
  const planQueue = new Queue(PLAN_QUEUE, { connection, prefix: redis.prefix });
  const deliveryQueues = new Map<string, Queue>();
  const finished: RunRecord[] = [];
  const metrics = new PipelineMetrics();
  const ctx: PipelineContext = {
    store,
    planQueue,
    deliveryQueue: (platform) => {
      if (!deliveryQueues.has(platform)) deliveryQueues.set(platform, new Queue(deliveryQueueName(platform), { connection, prefix: redis.prefix }));
      return deliveryQueues.get(platform)!;
    },
    readSource: async (link): Promise<SourceReadResult> => ({ format: 'mis-json', snapshot: source(link), findings: [], counts: {} }),
    connectorFor: async (link) => (typeof connector === 'function' ? connector(link) : connector),
    now,
    metrics,
    onRunFinished: async (run) => {
      // As the runtime does: every final status is counted once, whichever path ended the run.
      metrics.recordRun(run.status, run.kind);
      finished.push(run);
    },
  };
  // Every installation's lane, so links of any region are delivered.
  const lanes = dnevnikDeliveryLanes(loadDnevnikPlatform()).map((l) => ({ ...l, rateLimit: { max: 1000, durationMs: 1000 } }));
  const workers: Worker[] = startPipelineWorkers(ctx, { connection, prefix: redis.prefix, lanes, lockDurationMs: 5000, stalledIntervalMs: 2000, concurrency: laneConcurrency, logger: options.logger });
  return {
    ctx,
    finished,
    /** Waits until the run reaches one of the statuses. */
    async waitFor(runId: string, statuses: string[], timeoutMs = 20_000): Promise<RunRecord> {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const run = await store.runs.require(runId);
        if (statuses.includes(run.status)) return run;
        if (Date.now() > deadline) throw new Error(`run ${runId} stayed ${run.status}`);
        await new Promise((r) => setTimeout(r, 50));
      }
    },
    async close() {
      await Promise.all(workers.map((w) => w.close()));
      await planQueue.close();
      for (const q of deliveryQueues.values()) await q.close();
      await redis.cleanup();
    },
  };
}
