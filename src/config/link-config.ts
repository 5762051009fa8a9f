import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EjsyncError, timeZoneSchema } from '../model';
import { formatIssueLines } from './format-issues';
import { cronSchema } from './cron-schema';
import { policySchema } from './policy';

const idSchema = z.string().regex(/^[A-Za-z0-9_.-]{1,100}$/, 'допустимы латинские буквы, цифры, «_», «.», «-» (до 100 символов)');

/**
 * A link: one school's source, one target platform, a schedule and a policy. Link files live in
 * `config/links/*.json` (examples there) or anywhere `--link FILE` points.
 */
export const linkConfigSchema = z.strictObject({
  /** Stable id of the link (used in job ids and URLs). */
  id: idSchema,
  /** Russian name for people: «МБОУ СОШ № 1 → Дневник.ру». */
  name: z.string().trim().min(1, 'укажите название связи (name)'),
  school: z.strictObject({
    /** The school's id in the МИС export. */
    sourceId: z.string().trim().min(1, 'укажите идентификатор школы в МИС (school.sourceId)'),
    /** IANA zone of the school (Perm: Asia/Yekaterinburg). */
    timeZone: timeZoneSchema,
  }),
  source: z.strictObject({
    /** Folder, ZIP or JSON of the МИС export (relative to the link file). */
    path: z.string().min(1, 'укажите путь к выгрузке МИС (source.path)'),
    /** @defaultValue `auto` (detected) */
    format: z.enum(['auto', 'mis-csv', 'mis-json', 'oneroster']).default('auto'),
  }),
  target: z.strictObject({
    /** `dnevnik` (REST API), `sedizh` (СЭДиЖ / ЭПОС exchange packages) or `oneroster` (OneRoster 1.2 CSV bundles into `exchangeDir`, uploaded to `baseUrl` when set). @defaultValue `dnevnik` */
    platform: z.enum(['dnevnik', 'sedizh', 'oneroster'], { message: 'target.platform: dnevnik, sedizh или oneroster' }).default('dnevnik'),
    /** Installation (region) from `config/platforms/<platform>.json`, e.g. `dnevnik`, `mosreg`, `perm`. */
    installation: z.string().min(1, 'укажите установку платформы (target.installation)'),
    /** The school's id on the platform (Дневник.ру: a 64-bit id as a string of digits; СЭДиЖ: the school's code in the exchange). */
    schoolId: z.string().regex(/^[A-Za-z0-9_.-]{1,64}$/, 'target.schoolId: идентификатор школы на платформе — латинские буквы, цифры, «_», «.», «-»'),
    /** Overrides the installation's API host or exchange address (the emulator in dress rehearsals). */
    baseUrl: z.url('target.baseUrl должен быть адресом').optional(),
    /** СЭДиЖ: an exchange folder instead of the installation's transport (relative to the link file). @defaultValue the installation's */
    exchangeDir: z.string().min(1).optional(),
    /** Name of the stored (encrypted) token of the platform account. @defaultValue `dnevnik-<link id>` */
    tokenName: z.string().optional(),
  }).superRefine((t, ctx) => {
    if (t.platform === 'dnevnik' && !/^\d{1,20}$/.test(t.schoolId)) ctx.addIssue({ code: 'custom', path: ['schoolId'], message: 'target.schoolId: идентификатор школы на платформе — строка цифр' });
    if (t.platform === 'dnevnik' && t.exchangeDir) ctx.addIssue({ code: 'custom', path: ['exchangeDir'], message: 'target.exchangeDir — только для platform: sedizh или oneroster' });
    if (t.platform === 'oneroster' && !['folder', 'emulator'].includes(t.installation)) ctx.addIssue({ code: 'custom', path: ['installation'], message: 'target.installation для oneroster: folder (папка, при target.baseUrl — и отправка по HTTP) или emulator' });
    if (t.platform === 'oneroster' && !t.exchangeDir) ctx.addIssue({ code: 'custom', path: ['exchangeDir'], message: 'target.exchangeDir: укажите папку, куда записывать пакеты OneRoster' });
  }),
  schedule: z
    .strictObject({
      /** Cron in the school's zone. @defaultValue `0 2 * * *` (02:00 every night) */
      cron: cronSchema('schedule.cron').default('0 2 * * *'),
      /** @defaultValue true */
      enabled: z.boolean().default(true),
    })
    .prefault({}),
  /** Overrides of the default policy (`config/policy.json`). */
  policy: policySchema.prefault({}),
  /**
   * Dated records (lessons, works, marks, attendance) are compared from this many days back;
   * older ones are left as they are. For a migration in the middle of the year, widen it to the
   * year's start. @defaultValue 45
   */
  windowDays: z.number().int().min(1).max(400).default(45),
  reconcile: z
    .strictObject({
      /**
       * Every this many days a run reads every class's dated records over the whole window (a full
       * reconciliation, which also finds what was changed on the platform by hand); between them a
       * run reads only the days whose МИС records changed since the last clean run. 0 reads
       * everything every night. @defaultValue 7
       */
      fullEveryDays: z.number({ message: 'reconcile.fullEveryDays: число дней (0 — полная сверка каждый раз)' }).int().min(0).max(90).default(7),
    })
    .prefault({}),
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
  if (!parsed.success) {
    const id = typeof (raw as { id?: unknown } | null)?.id === 'string' ? (raw as { id: string }).id : undefined;
    throw new EjsyncError('config.invalid', { detail: formatIssueLines(parsed.error, file, id) });
  }
  const link = parsed.data;
  link.source.path = path.resolve(path.dirname(file), link.source.path);
  if (link.target.exchangeDir) link.target.exchangeDir = path.resolve(path.dirname(file), link.target.exchangeDir);
  return link;
}
