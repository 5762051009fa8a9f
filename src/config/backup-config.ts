import path from 'node:path';
import { z } from 'zod';
import { timeZoneSchema } from '../model';
import { cronSchema } from './cron-schema';

/** When scheduled backups run by default: Sundays at 03:00 (the regulations: every week or two). */
export const DEFAULT_BACKUP_CRON = '0 3 * * 0';
/** When the scheduled retention purge runs by default: every day at 03:30. */
export const DEFAULT_PURGE_CRON = '30 3 * * *';
/** Zone schedules are read in by default (the same day `ejsync backup --prune` counts in). */
export const DEFAULT_MAINTENANCE_TIME_ZONE = 'Europe/Moscow';

const count = (field: string, max: number) =>
  z
    .number({ error: `${field}: укажите целое число` })
    .int(`${field}: укажите целое число`)
    .min(0, `${field}: не меньше 0`)
    .max(max, `${field}: не больше ${max}`);

/**
 * `backup.retention`: how many archives of each kind to keep in every destination; each key
 * overrides one of `DEFAULT_RETENTION` (the newest archive overall is always kept).
 */
export const backupRetentionSchema = z.strictObject({
  /** Newest archive of each of the last N weeks. @defaultValue 8 */
  weekly: count('backup.retention.weekly', 520).optional(),
  /** Newest archive of each of the last N months. @defaultValue 12 */
  monthly: count('backup.retention.monthly', 600).optional(),
  /** Newest archive of each of the last N years (the journal is kept five years). @defaultValue 5 */
  yearly: count('backup.retention.yearly', 100).optional(),
});

/**
 * `backup`: scheduled backups of ejsync's own store (what `ejsync backup --to DIR [--to DIR2]
 * --prune` does), made by the worker that serves the `maintenance` queue — the destinations
 * must be mounted on that host. A failed or unverifiable backup raises `store.backup_failed`
 * through `alerts`.
 */
export const backupConfigSchema = z.strictObject({
  /** When, in `timeZone` (5 cron fields; a sixth, leading one counts seconds). @defaultValue `0 3 * * 0` (Sundays 03:00) */
  cron: cronSchema('backup.cron').default(DEFAULT_BACKUP_CRON),
  /** IANA zone of `cron` and of the day retention counts from. @defaultValue `Europe/Moscow` */
  timeZone: timeZoneSchema.default(DEFAULT_MAINTENANCE_TIME_ZONE),
  /** One or two folders (two external media), absolute paths; the same archive goes to each. Required. */
  to: z
    .array(z.string({ error: 'backup.to: каждый каталог — строка с путём' }).refine((d) => path.isAbsolute(d), { message: 'укажите абсолютный путь к каталогу, например «/mnt/usb-a/ejsync»' }), {
      error: 'backup.to: укажите один или два каталога для копий, например ["/mnt/usb-a/ejsync", "/mnt/nas/ejsync"]',
    })
    .min(1, 'backup.to: укажите хотя бы один каталог для копий, например ["/mnt/usb-a/ejsync"]')
    .max(2, 'backup.to: не больше двух каталогов (два внешних носителя)')
    .refine((dirs) => new Set(dirs.map((d) => path.resolve(d))).size === dirs.length, { message: 'backup.to: каталоги должны быть разными (копия на двух разных носителях)' }),
  /** Delete archives the retention lets go after each backup (audited `backup.deleted`). @defaultValue true */
  prune: z.boolean({ error: 'backup.prune: true или false' }).default(true),
  /** Overrides of the retention policy. @defaultValue weekly 8, monthly 12, yearly 5 */
  retention: backupRetentionSchema.optional(),
});
export type BackupConfig = z.infer<typeof backupConfigSchema>;

/**
 * `purge`: the scheduled retention purge of personal data and old runs (what `ejsync purge`
 * does, with the same defaults — `DEFAULT_DATA_RETENTION` in `src/store/retention/purge-run-data.ts`), made by the worker that serves the `maintenance` queue.
 */
export const purgeConfigSchema = z.strictObject({
  /** When, in `timeZone`. @defaultValue `30 3 * * *` (every day 03:30) */
  cron: cronSchema('purge.cron').default(DEFAULT_PURGE_CRON),
  /** IANA zone of `cron`. @defaultValue `Europe/Moscow` */
  timeZone: timeZoneSchema.default(DEFAULT_MAINTENANCE_TIME_ZONE),
  /** Days after a run finished that its copies of personal data are kept. @defaultValue 400 */
  personalDataDays: count('purge.personalDataDays', 3650).min(1, 'purge.personalDataDays: не меньше 1').optional(),
  /** Years a finished run is kept at all. @defaultValue 5 */
  runYears: count('purge.runYears', 50).min(1, 'purge.runYears: не меньше 1').optional(),
  /** Uploaded exports kept per link (the newest). @defaultValue 5 */
  exportsPerLink: count('purge.exportsPerLink', 1000).min(1, 'purge.exportsPerLink: не меньше 1').optional(),
});
export type PurgeConfig = z.infer<typeof purgeConfigSchema>;
