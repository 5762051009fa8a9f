import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { AlertsConfig } from '../../config/alerts-config';
import type { RunRecord, Store } from '../../store';
import { alertJobSchema, assertIdsOnly } from '../job-payloads';
import { ALERT_QUEUE } from '../queue-names';
import { alertsForRun } from './alert-rules';
import type { AlertMessage } from './alert-types';
import { buildDailyDigest } from './daily-digest';
import { DIGEST_JOB } from './digest-schedule';
import { collectDigestStates } from './digest-sources';
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

/**
 * Logs an alert for one channel and queues its delivery; the id is deterministic, so an alert
 * already logged is not queued again. Returns the logged id, or null when it existed.
 */
async function queueAlert(ctx: AlertContext, alert: AlertMessage, channel: 'webhook' | 'email'): Promise<string | null> {
  const id = `${alert.id}.${channel}`;
  const created = await ctx.store.alerts.create({ id, kind: alert.kind, linkId: alert.linkId ?? null, runId: alert.runId ?? null, channel, payload: alert });
  if (!created) return null;
  await ctx.alertQueue.add('alert', assertIdsOnly(alertJobSchema, { alertId: id }), { jobId: id, attempts: 5, backoff: { type: 'exponential', delay: 2000, jitter: 0.3 }, removeOnComplete: { count: 1000 }, removeOnFail: { count: 5000 } });
  return id;
}

/** Raises the alerts a run's outcome calls for: one logged alert per channel, sent through the queue. */
export async function dispatchRunAlerts(ctx: AlertContext, run: RunRecord): Promise<string[]> {
  const now = ctx.now?.() ?? new Date();
  const recent = await ctx.store.runs.recentStatuses(run.linkId, ctx.config.consecutiveFailures + 1);
  const queued: string[] = [];
  for (const alert of alertsForRun(run, recent, { consecutiveFailures: ctx.config.consecutiveFailures, dashboardUrl: ctx.config.dashboardUrl, now })) {
    for (const channel of channels(ctx.config)) {
      const id = await queueAlert(ctx, alert, channel);
      if (id) queued.push(id);
    }
  }
  return queued;
}

/** Raises one alert that is not about a run (a failed scheduled backup) on every configured channel; an id already logged is not raised again. */
export async function dispatchAlert(ctx: AlertContext, alert: AlertMessage): Promise<string[]> {
  const queued: string[] = [];
  for (const channel of channels(ctx.config)) {
    const id = await queueAlert(ctx, alert, channel);
    if (id) queued.push(id);
  }
  return queued;
}

/** How far back the digest looks. */
const DIGEST_PERIOD_HOURS = 24;

/**
 * Makes today's digest of every link and queues it on each channel, logged like any alert.
 * Nothing when the digest is not configured or today's was made already.
 */
export async function dispatchDailyDigest(ctx: AlertContext): Promise<string[]> {
  const digest = ctx.config.digest;
  if (!digest) return [];
  const now = ctx.now?.() ?? new Date();
  const states = await collectDigestStates(ctx.store, new Date(now.getTime() - DIGEST_PERIOD_HOURS * 3_600_000));
  const message = buildDailyDigest(states, { now, timeZone: digest.timeZone, periodHours: DIGEST_PERIOD_HOURS, dashboardUrl: ctx.config.dashboardUrl });
  const queued: string[] = [];
  for (const channel of channels(ctx.config)) {
    const id = await queueAlert(ctx, message, channel);
    if (id) queued.push(id);
  }
  return queued;
}

/**
 * Sends queued alerts (every attempt is recorded, failures retry with backoff) and makes the
 * daily digest when its scheduler fires.
 */
export function startAlertWorker(ctx: Omit<AlertContext, 'alertQueue'> & { alertQueue?: Queue }, options: { connection: ConnectionOptions; prefix: string }): Worker {
  const env = ctx.env ?? process.env;
  // The digest queues its deliveries on the same queue (an own handle unless one is given).
  let ownQueue: Queue | null = null;
  const alertQueue = () => ctx.alertQueue ?? (ownQueue ??= new Queue(ALERT_QUEUE, options));
  const worker = new Worker(
    ALERT_QUEUE,
    async (job) => {
      if (job.name === DIGEST_JOB) {
        await dispatchDailyDigest({ ...ctx, alertQueue: alertQueue() });
        return;
      }
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
          const to = message.kind === 'daily_digest' ? (ctx.config.digest?.to ?? ctx.config.email.to) : ctx.config.email.to;
          await sendEmail(message, { url, from: ctx.config.email.from, to });
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
  worker.on('closed', () => void ownQueue?.close().catch(() => undefined));
  return worker;
}
