import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { attendanceStatusSchema, EjsyncError, ENTITY_ORDER, periodKindSchema, workTypeSchema, type CapabilityMatrix, type EntityCollection } from '../model';
import { formatIssues } from './format-issues';
import { retryPolicySchema } from './retry-policy';

/** Placeholders a mark endpoint path may use: platform ids of the pupil, the work, the mark, the lesson. */
export const MARK_PATH_PLACEHOLDERS = ['person', 'work', 'mark', 'lesson'] as const;
export type MarkPathPlaceholder = (typeof MARK_PATH_PLACEHOLDERS)[number];
export type MarkOperation = 'create' | 'update' | 'delete';

export type MarkHttpMethod = 'POST' | 'PUT' | 'PATCH' | 'DELETE';

const PLACEHOLDER = /\{([^{}]*)\}/g;

/** `{person}` names used by a path template, in order. */
export function placeholdersOf(template: string): string[] {
  return [...template.matchAll(PLACEHOLDER)].map((m) => m[1]);
}

const placeholderList = MARK_PATH_PLACEHOLDERS.map((p) => `{${p}}`).join(', ');

/** The checks of one mark endpoint path; the messages are for the administrator who edits the file. */
function checkMarkPath(op: MarkOperation, template: string, ctx: z.RefinementCtx): void {
  const issue = (message: string) => ctx.addIssue({ code: 'custom', message, path: ['path'] });
  if (!template.startsWith('/')) issue(`адрес должен начинаться с «/» (относительно apiBase), например /persons/{person}/works/{work}/mark; получено «${template}»`);
  if (/[?#\s]|\/\//.test(template)) issue(`в адресе не должно быть пробелов, «?», «#» и «//»; получено «${template}»`);
  if (/[{}]/.test(template.replace(PLACEHOLDER, ''))) issue(`незакрытая фигурная скобка в адресе «${template}»`);
  const used = placeholdersOf(template);
  for (const name of used) if (!(MARK_PATH_PLACEHOLDERS as readonly string[]).includes(name)) issue(`неизвестная подстановка {${name}}; допустимы ${placeholderList}`);
  if (op === 'create' && used.includes('mark')) issue('в адресе выставления отметки нельзя использовать {mark}: номер отметки появляется только после её создания');
  if (op !== 'create' && !used.includes('mark') && !(used.includes('person') && used.includes('work'))) {
    issue(`адрес ${op === 'update' ? 'изменения' : 'удаления'} должен указывать отметку: {mark} или {person} вместе с {work}`);
  }
}

/** One operation's endpoint: a method from `methods` and a checked path template. */
function markEndpointSchema<const M extends readonly [MarkHttpMethod, ...MarkHttpMethod[]]>(op: MarkOperation, methods: M) {
  return z
    .object({
      method: z.enum(methods, { error: `допустимые методы: ${methods.join(', ')}` }),
      path: z.string({ error: 'укажите адрес, например /persons/{person}/works/{work}/mark' }),
    })
    .superRefine((e, ctx) => checkMarkPath(op, e.path, ctx));
}
const markCreateSchema = markEndpointSchema('create', ['POST', 'PUT']);
const markUpdateSchema = markEndpointSchema('update', ['PUT', 'POST', 'PATCH']);
const markDeleteSchema = markEndpointSchema('delete', ['DELETE']);

/** Where marks are written, updated and deleted unless the file says otherwise. */
export const DEFAULT_MARK_ENDPOINTS = {
  create: { method: 'POST', path: '/persons/{person}/works/{work}/mark' },
  update: { method: 'PUT', path: '/persons/{person}/works/{work}/mark' },
  delete: { method: 'DELETE', path: '/persons/{person}/works/{work}/mark' },
} as const satisfies Record<MarkOperation, { method: MarkHttpMethod; path: string }>;

/**
 * The mark write contract of an installation: method and path template per operation. The live
 * API's mark update/delete paths are not publicly verified (shared/research/dnevnik-api.md §4.6),
 * so they are data. `create` and `update` may name the same endpoint (an upsert).
 */
export const markEndpointsSchema = z.object({
  create: markCreateSchema.default({ ...DEFAULT_MARK_ENDPOINTS.create }),
  update: markUpdateSchema.default({ ...DEFAULT_MARK_ENDPOINTS.update }),
  delete: markDeleteSchema.default({ ...DEFAULT_MARK_ENDPOINTS.delete }),
});
export type MarkEndpoints = z.infer<typeof markEndpointsSchema>;
export type MarkEndpoint = MarkEndpoints[MarkOperation];

const capabilitySchema = z.object({ read: z.boolean(), create: z.boolean(), update: z.boolean(), archive: z.boolean() });
const entityKey = z.enum(ENTITY_ORDER as unknown as [EntityCollection, ...EntityCollection[]], { error: 'неизвестный вид записей (допустимы pupils, classes, marks, …)' });

/**
 * A token's request limit: `max` requests per `durationMs`, kept by every worker together.
 * `marginMs` widens the window the requests are spread over, for the jitter between ejsync and the
 * platform's clock (the way there: a few ms locally, more over the internet); it costs budget share
 * one for one. @defaultValue marginMs: 3 % of `durationMs`
 */
const tokenRateLimitSchema = z.object({ max: z.number().int().min(1), durationMs: z.number().int().min(1), marginMs: z.number().int().min(0).optional() });

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
  /** Overrides the platform-wide `rateLimit` (per token) for this installation. */
  rateLimit: tokenRateLimitSchema.optional(),
  /** Overrides the platform-wide `appRateLimit` (all tokens together) for this installation. */
  appRateLimit: z.object({ max: z.number().int().min(1), durationMs: z.number().int().min(1) }).optional(),
  /** Overrides single operations of the platform-wide `markEndpoints` for this installation. */
  markEndpoints: z.object({ create: markCreateSchema.optional(), update: markUpdateSchema.optional(), delete: markDeleteSchema.optional() }).optional(),
});

/**
 * Дневник.ру as data: hosts per region, scopes, throttling, what the API can write, and how
 * canonical values map onto the platform's (attendance statuses, period types, work types, marks).
 */
export const dnevnikPlatformSchema = z.object({
  installations: z.record(z.string(), installationSchema).refine((r) => Object.keys(r).length > 0, 'installations: опишите хотя бы одну установку'),
  /** @defaultValue `["CommonInfo", "EducationalInfo"]` */
  scopes: z.array(z.string().min(1)).min(1).default(['CommonInfo', 'EducationalInfo']),
  /** Requests per token (one school's connection) across all workers. @defaultValue 5 per 1000 ms */
  rateLimit: tokenRateLimitSchema.default({ max: 5, durationMs: 1000 }),
  /**
   * Deliveries per installation across all schools and workers (ejsync's partner app as a whole):
   * the platform limits each token, so many schools sync side by side. @defaultValue 100 per 1000 ms
   */
  appRateLimit: z.object({ max: z.number().int().min(1), durationMs: z.number().int().min(1) }).default({ max: 100, durationMs: 1000 }),
  /** @defaultValue 20000 */
  timeoutMs: z.number().int().min(100).default(20_000),
  /** How deliveries are retried. @defaultValue 6 attempts, backoff 1 s doubling with 50 % jitter, 30 rate limits */
  retry: retryPolicySchema.prefault({}),
  /** Attendance is read in windows of at most this many days. @defaultValue 30 */
  attendanceWindowDays: z.number().int().min(1).max(90).default(30),
  /** Mark write endpoints; an installation may override single operations. */
  markEndpoints: markEndpointsSchema.default({ create: { ...DEFAULT_MARK_ENDPOINTS.create }, update: { ...DEFAULT_MARK_ENDPOINTS.update }, delete: { ...DEFAULT_MARK_ENDPOINTS.delete } }),
  capabilities: z.partialRecord(entityKey, capabilitySchema),
  comparableFields: z.partialRecord(entityKey, z.array(z.string())).default({}),
  /** Fields the platform fills itself when the source has none, and one-field-for-two fallbacks. */
  comparison: z
    .object({
      platformFills: z.partialRecord(entityKey, z.array(z.string())).default({}),
      /** Fields the platform cannot always tell: compared only where it gives a value. @defaultValue none */
      platformOmits: z.partialRecord(entityKey, z.array(z.string())).default({}),
      fallbacks: z.partialRecord(entityKey, z.record(z.string(), z.string())).default({}),
    })
    .prefault({}),
  attendanceStatuses: z.record(attendanceStatusSchema, z.string().min(1)),
  periodTypes: z.record(periodKindSchema, z.string().min(1)),
  /** Non-numeric canonical marks → the platform's value (`зач` → `З`); a mark is written only when the school's mark system holds the value. @defaultValue none */
  markValues: z.record(z.string(), z.string()).default({}),
  /**
   * The mark system assumed when the school's profile names none (`markType`): a name that
   * `GET marks/values` lists. @defaultValue `mark5`
   */
  defaultMarkType: z.string().min(1).default('mark5'),
  /**
   * Per mark system (its `marks/values` name, any case), canonical mark → the system's value, over
   * `markValues`. Five-point marks pass as they are only into a five-point system; a school on
   * another system needs its table here (by the school's regulation), else its marks are findings.
   * @defaultValue none
   */
  markSystemValues: z.record(z.string(), z.record(z.string(), z.string())).default({}),
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

/** The mark endpoints of an installation: its overrides over the platform-wide set. */
export function markEndpointsOf(config: DnevnikPlatformConfig, installation: string): MarkEndpoints {
  const own = installationOf(config, installation).markEndpoints ?? {};
  return {
    create: own.create ?? config.markEndpoints.create,
    update: own.update ?? config.markEndpoints.update,
    delete: own.delete ?? config.markEndpoints.delete,
  };
}

export function capabilityMatrixOf(config: DnevnikPlatformConfig): CapabilityMatrix {
  return config.capabilities as CapabilityMatrix;
}
