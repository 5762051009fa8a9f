import { Worker, type ConnectionOptions, type Queue } from 'bullmq';
import type { AlertsConfig } from '../../config/alerts-config';
import type { RunRecord, Store } from '../../store';
import { alertJobSchema, assertIdsOnly } from '../job-payloads';
import { ALERT_QUEUE } from '../queue-names';
import { alertsForRun } from './alert-rules';
import type { AlertMessage } from './alert-types';
import { sendEmail } from './email';
import { sendWebhook } from './webhook';

export interface AlertContext {
  store: Store;
  alertQueue: Queue;
  config: AlertsConfig;
  env?: NodeJS.ProcessEnv;
  now?: () => Date;
}

function channels(config: AlertsConfig): ('webhook' | 'email')[] {
  return [...(config.webhook ? (['webhook'] as const) : []), ...(config.email ? (['email'] as const) : [])];
}

/** Raises the alerts a run's outcome calls for: one logged alert per channel, sent through the queue. */
export async function dispatchRunAlerts(ctx: AlertContext, run: RunRecord): Promise<string[]> {
  const now = ctx.now?.() ?? new Date();
  const recent = await ctx.store.runs.recentStatuses(run.linkId, ctx.config.consecutiveFailures + 1);
  const queued: string[] = [];
  for (const alert of alertsForRun(run, recent, { consecutiveFailures: ctx.config.consecutiveFailures, dashboardUrl: ctx.config.dashboardUrl, now })) {
    for (const channel of channels(ctx.config)) {
      const id = `${alert.id}.${channel}`;
      const created = await ctx.store.alerts.create({ id, kind: alert.kind, linkId: alert.linkId ?? null, runId: alert.runId ?? null, channel, payload: alert });
      if (!created) continue;
      await ctx.alertQueue.add('alert', assertIdsOnly(alertJobSchema, { alertId: id }), { jobId: id, attempts: 5, backoff: { type: 'exponential', delay: 2000, jitter: 0.3 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } });
      queued.push(id);
    }
  }
  return queued;
}

/** Sends queued alerts; every attempt is recorded, failures retry with backoff. */
export function startAlertWorker(ctx: Omit<AlertContext, 'alertQueue'>, options: { connection: ConnectionOptions; prefix: string }): Worker {
  const env = ctx.env ?? process.env;
  const worker = new Worker(
    ALERT_QUEUE,
    async (job) => {
      const { alertId } = alertJobSchema.parse(job.data);
      const alert = await ctx.store.alerts.get(alertId);
      if (!alert || alert.status === 'sent') return;
      const message = alert.payload as AlertMessage;
      try {
        if (alert.channel === 'webhook' && ctx.config.webhook) {
          const secret = env[ctx.config.webhook.secretEnv];
          if (!secret) throw new Error(`не задана переменная окружения ${ctx.config.webhook.secretEnv}`);
          await sendWebhook(message, { url: ctx.config.webhook.url, secret });
        } else if (alert.channel === 'email' && ctx.config.email) {
          const url = env[ctx.config.email.urlEnv];
          if (!url) throw new Error(`не задана переменная окружения ${ctx.config.email.urlEnv}`);
          await sendEmail(message, { url, from: ctx.config.email.from, to: ctx.config.email.to });
        }
        await ctx.store.alerts.recordAttempt(alertId, { ok: true });
      } catch (error) {
        const final = job.attemptsMade + 1 >= (job.opts.attempts ?? 1);
        await ctx.store.alerts.recordAttempt(alertId, { ok: false, error: (error as Error).message, final });
        throw error;
      }
    },
    { ...options, concurrency: 4 },
  );
  worker.on('error', () => undefined);
  return worker;
}
