import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EjsyncError } from '../model';
import { alertsConfigSchema } from './alerts-config';
import { backupConfigSchema, purgeConfigSchema } from './backup-config';
import { esiaConfigSchema } from './esia-config';
import { formatIssueLines } from './format-issues';
import { intakeConfigSchema } from './intake-config';

/** The installation's own configuration (`$EJSYNC_HOME/config.json` or `EJSYNC_CONFIG`). */
export const appConfigSchema = z.strictObject({
  esia: esiaConfigSchema.optional(),
  /** Where alerts of failed and held runs go (webhook, e-mail). Absent: no alerts. */
  alerts: alertsConfigSchema.optional(),
  /** How schools' exports are received (size limit). Absent: the defaults. */
  intake: intakeConfigSchema.optional(),
  /** Scheduled backups of ejsync's own store (worker, `maintenance` queue). Absent: none (`ejsync backup` by hand or from cron). */
  backup: backupConfigSchema.optional(),
  /** Scheduled retention purge of personal data and old runs (worker, `maintenance` queue). Absent: none (`ejsync purge` by hand or from cron). */
  purge: purgeConfigSchema.optional(),
});
export type AppConfig = z.infer<typeof appConfigSchema>;

/** Where the configuration file is looked for: `EJSYNC_CONFIG`, else `<home>/config.json`. */
export function appConfigPath(home: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.EJSYNC_CONFIG ? path.resolve(env.EJSYNC_CONFIG) : path.join(home, 'config.json');
}

/**
 * Reads and validates the configuration at start-up. A missing file is an empty configuration
 * unless `required`; a malformed one throws `config.invalid` naming the field and what to fix.
 */
export function loadAppConfig(file: string, options: { required?: boolean } = {}): AppConfig {
  if (!existsSync(file)) {
    if (options.required) throw new EjsyncError('config.not_found', { detail: file });
    return {};
  }
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EjsyncError('config.invalid', { cause, detail: `${file}: файл не является корректным JSON` });
  }
  const parsed = appConfigSchema.safeParse(raw);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: formatIssueLines(parsed.error, file) });
  return parsed.data;
}
