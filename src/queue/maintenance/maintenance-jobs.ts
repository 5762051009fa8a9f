import { Queue, Worker, type ConnectionOptions } from 'bullmq';
import type { AlertsConfig } from '../../config/alerts-config';
import type { BackupConfig, PurgeConfig } from '../../config/backup-config';
import type { Logger } from '../../config/logger';
import { EjsyncError, isEjsyncError, localDateOf } from '../../model';
import { backupStore, DEFAULT_DATA_RETENTION, DEFAULT_RETENTION, pruneBackups, purgeRunData, SecretBox, SYSTEM_ACTOR, type PurgeResult, type RetentionPolicy, type Store } from '../../store';
import { dispatchAlert } from '../alerts/alert-dispatcher';
import { ALERT_KIND_LABELS, type AlertMessage } from '../alerts/alert-types';
import { ALERT_QUEUE, MAINTENANCE_QUEUE } from '../queue-names';

/** The maintenance queue's job scheduler (and job name) of scheduled backups. */
export const BACKUP_SCHEDULER_ID = 'store-backup';
/** The maintenance queue's job scheduler (and job name) of the scheduled retention purge. */
export const PURGE_SCHEDULER_ID = 'retention-purge';

/** What the maintenance schedulers were made to match: null where the section is absent (its scheduler removed). */
export interface MaintenanceSchedules {
  backup: { cron: string; timeZone: string } | null;
  purge: { cron: string; timeZone: string } | null;
}

/**
 * Makes the maintenance queue's schedulers match the installation's `backup` and `purge`
 * sections: one scheduler each at `cron` in `timeZone` (`upsertJobScheduler`, idempotent — every
 * worker may call it at start-up), none where the section is absent. Job data is empty: what to
 * do is read from the configuration of the process that takes the job.
 */
export async function syncMaintenanceSchedules(queue: Queue, config: { backup?: BackupConfig; purge?: PurgeConfig }): Promise<MaintenanceSchedules> {
  const out: MaintenanceSchedules = { backup: null, purge: null };
  for (const [id, section] of [
    [BACKUP_SCHEDULER_ID, config.backup],
    [PURGE_SCHEDULER_ID, config.purge],
  ] as const) {
    if (!section) {
      await queue.removeJobScheduler(id);
      continue;
    }
    const schedule = { cron: section.cron.trim(), timeZone: section.timeZone };
    // One attempt: a failed backup alerts at once, and the next scheduled one tries again.
    await queue.upsertJobScheduler(id, { pattern: schedule.cron, tz: schedule.timeZone }, { name: id, data: {}, opts: { attempts: 1, removeOnComplete: { count: 30 }, removeOnFail: { count: 100 } } });
    out[id === BACKUP_SCHEDULER_ID ? 'backup' : 'purge'] = schedule;
  }
  return out;
}

/** The retention a `backup` section asks for: its overrides over `DEFAULT_RETENTION`. */
export function retentionPolicyOf(config: Pick<BackupConfig, 'retention'>): RetentionPolicy {
  const set = Object.fromEntries(Object.entries(config.retention ?? {}).filter(([, v]) => v !== undefined));
  return { ...DEFAULT_RETENTION, ...set };
}

export interface MaintenanceContext {
  store: Store;
  backup?: BackupConfig;
  purge?: PurgeConfig;
  /** Where a failed backup is alerted; absent: logged only. */
  alerts?: AlertsConfig;
  /** The queue alerts are queued on (needed with `alerts`; the worker opens its own when not given). */
  alertQueue?: Queue;
  /** The key archives are encrypted with. @defaultValue `SecretBox.fromEnvironment()` (`EJSYNC_SECRET_KEY`), read per backup */
  secretBox?: () => SecretBox;
  now?: () => Date;
  logger?: Pick<Logger, 'info' | 'warn' | 'error'>;
}

export interface ScheduledBackupOutcome {
  files: string[];
  sha256: string;
  bytes: number;
  /** Archives deleted by the retention (paths). */
  deleted: string[];
}

/**
 * One scheduled backup: the whole store to every `backup.to` folder (each copy read back and
 * verified — `backupStore` refuses to report an archive it could not prove intact), audited
 * `backup.created` as the system, then the retention applied to each folder (`pruneBackups`,
 * every deletion audited `backup.deleted`). Any failure — an unwritable destination, a missing
 * key, a copy that does not verify — is `store.backup_failed` with the cause, alerted.
 */
export async function runScheduledBackup(ctx: MaintenanceContext, alertId: string): Promise<ScheduledBackupOutcome> {
  const config = ctx.backup;
  if (!config) throw new EjsyncError('store.backup_failed', { detail: 'раздел backup в config.json не задан' });
  const now = ctx.now?.() ?? new Date();
  try {
    const box = (ctx.secretBox ?? (() => SecretBox.fromEnvironment()))();
    const result = await backupStore(ctx.store, box, config.to, now);
    await ctx.store.audit.append({ ...SYSTEM_ACTOR, action: 'backup.created', objectType: 'backup', objectId: result.files[0].split(/[\\/]/).pop()!, details: { files: result.files, sha256: result.sha256, tables: Object.keys(result.manifest).length, scheduled: true } });
    const deleted = config.prune ? await pruneBackups(ctx.store, config.to, localDateOf(now, config.timeZone), SYSTEM_ACTOR, retentionPolicyOf(config)) : [];
    ctx.logger?.info({ files: result.files, sha256: result.sha256, bytes: result.bytes, deleted: deleted.length }, 'scheduled backup written and verified');
    return { files: result.files, sha256: result.sha256, bytes: result.bytes, deleted };
  } catch (error) {
    const failure = new EjsyncError('store.backup_failed', { cause: error, detail: isEjsyncError(error) ? `причина ${error.code}: ${error.message}` : (error as Error).message });
    ctx.logger?.error({ code: failure.code, causeCode: isEjsyncError(error) ? error.code : null, err: error }, 'scheduled backup failed');
    await raiseBackupAlert(ctx, alertId, failure, now).catch((alertError: unknown) => ctx.logger?.error({ err: alertError, code: failure.code }, 'backup alert not queued'));
    throw failure;
  }
}

/** A failed or unverifiable backup, alerted like a failed run: one logged alert per channel, sent through the alerts queue. */
async function raiseBackupAlert(ctx: MaintenanceContext, alertId: string, failure: EjsyncError, now: Date): Promise<string[]> {
  if (!ctx.alerts) {
    ctx.logger?.warn({ code: failure.code }, 'backup failed and no alerts are configured (alerts in config.json)');
    return [];
  }
  const message: AlertMessage = {
    id: alertId,
    kind: 'backup_failed',
    subject: ALERT_KIND_LABELS.backup_failed,
    text: `[${failure.code}] ${failure.message}. ${failure.hint}`,
    ...(ctx.alerts.dashboardUrl ? { url: ctx.alerts.dashboardUrl } : {}),
    at: now.toISOString(),
  };
  if (!ctx.alertQueue) throw new Error('alerts configured but no alerts queue given');
  return dispatchAlert({ store: ctx.store, alertQueue: ctx.alertQueue, config: ctx.alerts, now: () => now }, message);
}

/** One scheduled retention purge: what `ejsync purge` does (the same function, the same defaults), as the system, audited `retention.purged`. */
export async function runScheduledPurge(ctx: MaintenanceContext): Promise<PurgeResult> {
  const config: Partial<PurgeConfig> = ctx.purge ?? {};
  const result = await purgeRunData(ctx.store.db, SYSTEM_ACTOR, ctx.now?.() ?? new Date(), {
    personalDataDays: config.personalDataDays ?? DEFAULT_DATA_RETENTION.personalDataDays,
    runYears: config.runYears ?? DEFAULT_DATA_RETENTION.runYears,
    exportsPerLink: config.exportsPerLink ?? DEFAULT_DATA_RETENTION.exportsPerLink,
  });
  ctx.logger?.info({ ...result }, 'scheduled retention purge done');
  return result;
}

/** BullMQ job ids of scheduler runs (`repeat:store-backup:1733…`) made fit for an alert id (no ':'). */
export const alertIdOf = (jobId: string | undefined, now: Date) => `backup_failed.${(jobId ?? String(now.getTime())).replace(/[^A-Za-z0-9_.-]/g, '-')}`;

/**
 * Serves the maintenance queue: `store-backup` and `retention-purge` jobs (from their schedulers
 * or added by hand). One job at a time: a backup and a purge never overlap in this process.
 */
export function startMaintenanceWorker(ctx: MaintenanceContext, options: { connection: ConnectionOptions; prefix: string }): Worker {
  let ownQueue: Queue | null = null;
  const alertQueue = () => ctx.alertQueue ?? (ownQueue ??= new Queue(ALERT_QUEUE, options));
  const worker = new Worker(
    MAINTENANCE_QUEUE,
    async (job) => {
      if (job.name === BACKUP_SCHEDULER_ID) return runScheduledBackup({ ...ctx, alertQueue: ctx.alerts ? alertQueue() : undefined }, alertIdOf(job.id, ctx.now?.() ?? new Date()));
      if (job.name === PURGE_SCHEDULER_ID) return runScheduledPurge(ctx);
      ctx.logger?.warn({ jobName: job.name, jobId: job.id ?? null }, 'unknown maintenance job ignored');
      return null;
    },
    { ...options, concurrency: 1 },
  );
  worker.on('error', (err) => ctx.logger?.warn({ err }, 'maintenance worker error'));
  worker.on('closed', () => void ownQueue?.close().catch(() => undefined));
  return worker;
}
