import type { Queue } from 'bullmq';
import type { Logger } from 'pino';
import type { LinkConfig } from '../../config/link-config';
import { DEFAULT_RETRY_POLICY, type RetryPolicy } from '../../config/retry-policy';
import type { TargetConnector } from '../../connectors/target-connector';
import type { SourceReadResult } from '../../model';
import type { ExportRef, RunRecord, Store } from '../../store';
import type { PipelineMetrics } from '../metrics';

/**
 * Everything the run pipeline needs, handed in by whoever starts workers (the worker command,
 * the demo, tests). The pipeline itself lives only here; CLI and web call it.
 */
export interface PipelineContext {
  store: Store;
  /** The planning queue. */
  planQueue: Queue;
  /** The delivery queue of a lane (platform installation, `deliveryLaneOf`). */
  deliveryQueue(lane: string): Queue;
  /** Reads a link's МИС export into a Snapshot; `sourceExport` names the kept (uploaded) export it read, if any. */
  readSource(link: LinkConfig): Promise<SourceReadResult & { sourceExport?: ExportRef }>;
  /** The link's platform connector (live or emulator). */
  connectorFor(link: LinkConfig): Promise<TargetConnector>;
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** Called once a run reaches a final status (alerts, metrics). */
  onRunFinished?: (run: RunRecord) => Promise<void>;
  /** Counters and latencies (Prometheus). */
  metrics?: PipelineMetrics;
  /** Called when a run is held for a human. */
  onRunHeld?: (run: RunRecord) => Promise<void>;
  /**
   * Where the pipeline logs what becomes of a run (ids only). The workers hand each job a child
   * logger bound to its `runId`, `linkId` and `jobId`. @defaultValue none
   */
  logger?: Logger;
  /** How the deliveries of a lane are retried (the platform file's `retry`). @defaultValue `DEFAULT_RETRY_POLICY` */
  retryPolicy?: (lane: string) => RetryPolicy;
}

/** The retry policy of a lane, or the default one. */
export const retryPolicyOf = (ctx: Pick<PipelineContext, 'retryPolicy'>, lane: string): RetryPolicy => ctx.retryPolicy?.(lane) ?? DEFAULT_RETRY_POLICY;

/** Reads the link as stored (`links.config` holds the validated link file). */
export async function loadLink(ctx: Pick<PipelineContext, 'store'>, linkId: string): Promise<LinkConfig> {
  const record = await ctx.store.links.get(linkId);
  if (!record) throw new Error(`link ${linkId} is not registered`);
  return record.config as LinkConfig;
}
