import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { attendanceStatusSchema, EjsyncError, ENTITY_ORDER, periodKindSchema, workTypeSchema, type CapabilityMatrix, type EntityCollection } from '../model';
import { formatIssues } from './format-issues';

const capabilitySchema = z.object({ read: z.boolean(), create: z.boolean(), update: z.boolean(), archive: z.boolean() });
const entityKey = z.enum(ENTITY_ORDER as unknown as [EntityCollection, ...EntityCollection[]], { error: 'неизвестный вид записей (допустимы pupils, classes, marks, …)' });

/** One regional installation of the platform (the same API under another host). */
export const installationSchema = z.object({
  /** Russian name for reports. */
  name: z.string().min(1),
  /** `https://api.dnevnik.ru/v2` (no trailing slash). */
  apiBase: z.url('apiBase: ожидается адрес API (https://…/v2)').transform((u) => u.replace(/\/+$/, '')),
  /** `https://login.dnevnik.ru`: where a person grants access. */
  oauthBase: z.url('oauthBase: ожидается адрес входа (https://login…)').transform((u) => u.replace(/\/+$/, '')),
  /** ejsync's own emulator: runs are marked as rehearsals. @defaultValue false */
  emulator: z.boolean().default(false),
  /** Overrides the platform-wide `rateLimit` for this installation. */
  rateLimit: z.object({ max: z.number().int().min(1), durationMs: z.number().int().min(1) }).optional(),
});

/**
 * Дневник.ру as data: hosts per region, scopes, throttling, what the API can write, and how
 * canonical values map onto the platform's (attendance statuses, period types, work types, marks).
 */
export const dnevnikPlatformSchema = z.object({
  installations: z.record(z.string(), installationSchema).refine((r) => Object.keys(r).length > 0, 'installations: опишите хотя бы одну установку'),
  /** @defaultValue `["CommonInfo", "EducationalInfo"]` */
  scopes: z.array(z.string().min(1)).min(1).default(['CommonInfo', 'EducationalInfo']),
  /** Requests per token across all workers. @defaultValue 5 per 1000 ms */
  rateLimit: z.object({ max: z.number().int().min(1), durationMs: z.number().int().min(1) }).default({ max: 5, durationMs: 1000 }),
  /** @defaultValue 20000 */
  timeoutMs: z.number().int().min(100).default(20_000),
  /** Attendance is read in windows of at most this many days. @defaultValue 30 */
  attendanceWindowDays: z.number().int().min(1).max(90).default(30),
  capabilities: z.partialRecord(entityKey, capabilitySchema),
  comparableFields: z.partialRecord(entityKey, z.array(z.string())).default({}),
  attendanceStatuses: z.record(attendanceStatusSchema, z.string().min(1)),
  periodTypes: z.record(periodKindSchema, z.string().min(1)),
  markValues: z.record(z.string(), z.string()).default({}),
  workTypes: z.record(workTypeSchema, z.string().min(1)),
});
export type DnevnikPlatformConfig = z.infer<typeof dnevnikPlatformSchema>;
export type DnevnikInstallation = z.infer<typeof installationSchema>;

/** The platform file shipped with ejsync. */
export const DEFAULT_DNEVNIK_CONFIG_FILE = path.resolve(__dirname, '../../config/platforms/dnevnik.json');

/** Reads and validates `config/platforms/dnevnik.json` (or another file). */
export function loadDnevnikPlatform(file: string = process.env.EJSYNC_DNEVNIK_CONFIG ?? DEFAULT_DNEVNIK_CONFIG_FILE): DnevnikPlatformConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EjsyncError((cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'config.not_found' : 'config.invalid', { cause, detail: file });
  }
  const parsed = dnevnikPlatformSchema.safeParse(raw);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: `${file}: ${formatIssues(parsed.error)}` });
  return parsed.data;
}

/** The installation a link names, or `config.invalid` listing the known ones. */
export function installationOf(config: DnevnikPlatformConfig, name: string): DnevnikInstallation {
  const found = config.installations[name];
  if (!found) throw new EjsyncError('config.invalid', { detail: `неизвестная установка «${name}»; известны: ${Object.keys(config.installations).join(', ')}` });
  return found;
}

export function capabilityMatrixOf(config: DnevnikPlatformConfig): CapabilityMatrix {
  return config.capabilities as CapabilityMatrix;
}
