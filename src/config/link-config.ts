import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EjsyncError, timeZoneSchema } from '../model';
import { formatIssues } from './format-issues';
import { policySchema } from './policy';

const idSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'допустимы латинские буквы, цифры, «_», «.», «-» (до 100 символов)');

/**
 * A link: one school's source, one target platform, a schedule and a policy. Link files live in
 * `config/links/*.json` (examples there) or anywhere `--link FILE` points.
 */
export const linkConfigSchema = z.object({
  /** Stable id of the link (used in job ids and URLs). */
  id: idSchema,
  /** Russian name for people: «МБОУ СОШ № 1 → Дневник.ру». */
  name: z.string().trim().min(1, 'укажите название связи (name)'),
  school: z.object({
    /** The school's id in the МИС export. */
    sourceId: z.string().trim().min(1, 'укажите идентификатор школы в МИС (school.sourceId)'),
    /** IANA zone of the school (Perm: Asia/Yekaterinburg). */
    timeZone: timeZoneSchema,
  }),
  source: z.object({
    /** Folder, ZIP or JSON of the МИС export (relative to the link file). */
    path: z.string().min(1, 'укажите путь к выгрузке МИС (source.path)'),
    /** @defaultValue `auto` (detected) */
    format: z.enum(['auto', 'mis-csv', 'mis-json', 'oneroster']).default('auto'),
  }),
  target: z.object({
    /** @defaultValue `dnevnik` */
    platform: z.enum(['dnevnik']).default('dnevnik'),
    /** Installation (region) from `config/platforms/dnevnik.json`, e.g. `dnevnik`, `mosreg`. */
    installation: z.string().min(1, 'укажите установку платформы (target.installation)'),
    /** The school's id on the platform (a 64-bit id, as a string). */
    schoolId: z.string().regex(/^\d{1,20}$/, 'target.schoolId: идентификатор школы на платформе — строка цифр'),
    /** Overrides the installation's API host (the emulator in dress rehearsals). */
    baseUrl: z.url('target.baseUrl должен быть адресом').optional(),
    /** Name of the stored (encrypted) token of the platform account. @defaultValue `dnevnik-<link id>` */
    tokenName: z.string().optional(),
  }),
  schedule: z
    .object({
      /** Cron in the school's zone. @defaultValue `0 2 * * *` (02:00 every night) */
      cron: z.string().default('0 2 * * *'),
      /** @defaultValue true */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  /** Overrides of the default policy (`config/policy.json`). */
  policy: policySchema.prefault({}),
  /** Dated records are read from this many days back. @defaultValue 45 */
  windowDays: z.number().int().min(1).max(400).default(45),
});
export type LinkConfig = z.infer<typeof linkConfigSchema>;

/** Reads a link file; `source.path` is resolved against the file's folder. */
export function loadLinkFile(file: string): LinkConfig {
  if (!existsSync(file)) throw new EjsyncError('config.not_found', { detail: file });
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EjsyncError('config.invalid', { cause, detail: `${file}: файл не является корректным JSON` });
  }
  const parsed = linkConfigSchema.safeParse(raw);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: `${file}: ${formatIssues(parsed.error)}` });
  const link = parsed.data;
  link.source.path = path.resolve(path.dirname(file), link.source.path);
  return link;
}
