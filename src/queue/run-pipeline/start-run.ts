import { randomUUID } from 'node:crypto';
import type { LinkConfig } from '../../config/link-config';
import { assertIdsOnly, planJobSchema } from '../job-payloads';
import type { RunKind, RunRecord, RunTrigger } from '../../store';
import type { PipelineContext } from './pipeline-context';

export interface StartRunOptions {
  trigger: RunTrigger;
  triggeredBy?: string;
  kind?: RunKind;
  parentRunId?: string;
  environment: 'live' | 'emulator';
  targetUrl?: string;
  /** What the run starts with in its summary (ids and parameters only — never personal data). */
  summary?: Record<string, unknown>;
}

/** Registers the link, creates a `planned` run and queues its planning job. */
export async function startRun(ctx: PipelineContext, link: LinkConfig, options: StartRunOptions): Promise<RunRecord> {
  await ctx.store.links.upsert({ id: link.id, name: link.name, schoolId: link.school.sourceId, platform: link.target.platform, config: link });
  const run = await ctx.store.runs.create({
    id: `run-${randomUUID()}`,
    linkId: link.id,
    schoolId: link.school.sourceId,
    kind: options.kind,
    trigger: options.trigger,
    triggeredBy: options.triggeredBy,
    environment: options.environment,
    targetUrl: options.targetUrl,
    parentRunId: options.parentRunId,
    summary: options.summary,
  });
  const data = assertIdsOnly(planJobSchema, { runId: run.id, linkId: link.id });
  await ctx.planQueue.add('plan', data, { jobId: `plan.${run.id}`, attempts: 3, backoff: { type: 'exponential', delay: 2000, jitter: 0.5 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } });
  return run;
}
