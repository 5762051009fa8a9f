import { readFileSync } from 'node:fs';
import path from 'node:path';
import { z } from 'zod';
import { EjsyncError, ENTITY_ORDER, ENTITY_SCHEMAS, type CapabilityMatrix, type EntityCollection } from '../model';
import { formatIssues } from './format-issues';
import { retryPolicySchema } from './retry-policy';

/** The shipped СЭДиЖ / ЭПОС platform file (ejsync's documented default package format). */
export const DEFAULT_SEDIZH_CONFIG_FILE = path.resolve(__dirname, '..', '..', 'config', 'platforms', 'sedizh.json');

const xmlName = z.string().regex(/^[\p{L}_][\p{L}\p{N}_.-]*$/u, 'имя XML-элемента или атрибута: буквы, цифры, «_», «-», «.»; начинается с буквы');
const entityKey = z.enum(ENTITY_ORDER as unknown as [EntityCollection, ...EntityCollection[]]);
const fieldTypes = ['string', 'int', 'number', 'bool', 'date', 'intList'] as const;

/** `"LastName"` (an element), `"@grade"` (an attribute), or the full form with a type and a value map. */
const fieldSpecSchema = z.union([
  z.string().regex(/^@?[\p{L}_][\p{L}\p{N}_.-]*$/u, 'поле: имя элемента («LastName») или атрибута («@grade»)').transform((s) => (s.startsWith('@') ? { name: s.slice(1), attribute: true } : { name: s, attribute: false })),
  z.object({
    name: xmlName,
    /** @defaultValue false */
    attribute: z.boolean().default(false),
    /** @defaultValue `string` */
    type: z.enum(fieldTypes, { message: `тип поля: ${fieldTypes.join(', ')}` }).default('string'),
    /** A map of `valueMaps`. */
    map: z.string().optional(),
  }),
]);

const entityMappingSchema = z.object({
  section: xmlName,
  record: xmlName,
  fields: z.record(z.string(), fieldSpecSchema),
});

const headerSchema = z.object({
  element: xmlName.default('Header'),
  packageId: xmlName.default('PackageId'),
  kind: xmlName.default('Kind'),
  schoolId: xmlName.default('SchoolId'),
  periodFrom: xmlName.default('PeriodFrom'),
  periodTo: xmlName.default('PeriodTo'),
  generatedAt: xmlName.default('GeneratedAt'),
  sender: xmlName.default('Sender'),
  sequence: xmlName.default('Sequence'),
  recordCount: xmlName.default('RecordCount'),
  contentHash: xmlName.default('ContentHash'),
});

const recordNamesSchema = z.object({
  id: xmlName.default('id'),
  extId: xmlName.default('extId'),
  action: xmlName.default('action'),
  effectiveFrom: xmlName.default('effectiveFrom'),
  actions: z.object({ create: z.string().min(1), update: z.string().min(1), delete: z.string().min(1) }).default({ create: 'create', update: 'update', delete: 'delete' }),
});

/** Types each canonical field is written as, when the mapping names it without a type. */
function canonicalKind(entity: EntityCollection, field: string): 'number' | 'boolean' | 'array' | 'other' | null {
  const shape = (ENTITY_SCHEMAS[entity] as unknown as { shape?: Record<string, z.ZodType> }).shape;
  const schema = shape?.[field];
  if (!schema) return null;
  if (schema.safeParse(1).success && !schema.safeParse('x').success) return 'number';
  if (schema.safeParse(true).success && !schema.safeParse('x').success) return 'boolean';
  if (schema.safeParse([1]).success) return 'array';
  return 'other';
}

/** Canonical fields a record of the entity cannot do without (not optional, no default). */
export function requiredFieldsOf(entity: EntityCollection): string[] {
  const shape = (ENTITY_SCHEMAS[entity] as unknown as { shape: Record<string, z.ZodType> }).shape;
  return Object.keys(shape).filter((f) => f !== 'sourceId' && !shape[f].safeParse(undefined).success);
}

export const packageMappingSchema = z
  .object({
    /** @defaultValue `utf-8` */
    encoding: z.enum(['utf-8', 'windows-1251'], { message: 'кодировка пакета: utf-8 или windows-1251' }).default('utf-8'),
    /** @defaultValue `YYYY-MM-DD` */
    dateFormat: z.enum(['YYYY-MM-DD', 'DD.MM.YYYY'], { message: 'формат дат: YYYY-MM-DD или DD.MM.YYYY' }).default('YYYY-MM-DD'),
    /** @defaultValue `Package` */
    root: xmlName.default('Package'),
    /** @defaultValue `urn:ejsync:sedizh-package:1` */
    namespace: z.string().default('urn:ejsync:sedizh-package:1'),
    /** @defaultValue `1.0` */
    version: z.string().min(1).default('1.0'),
    header: headerSchema.prefault({}),
    records: recordNamesSchema.prefault({}),
    entities: z.partialRecord(entityKey, entityMappingSchema),
    valueMaps: z.record(z.string(), z.record(z.string(), z.string().min(1, 'значение платформы не может быть пустым'))).default({}),
  })
  .superRefine((m, ctx) => {
    const sections = new Map<string, string>();
    for (const [entity, em] of Object.entries(m.entities) as [EntityCollection, z.infer<typeof entityMappingSchema>][]) {
      const at = ['entities', entity];
      if (sections.has(em.section)) ctx.addIssue({ code: 'custom', path: [...at, 'section'], message: `раздел <${em.section}> уже занят записями ${sections.get(em.section)}` });
      sections.set(em.section, entity);
      if (em.section === m.header.element) ctx.addIssue({ code: 'custom', path: [...at, 'section'], message: `раздел не может называться как заголовок (<${m.header.element}>)` });
      const names = new Set<string>();
      for (const [field, spec] of Object.entries(em.fields)) {
        const kind = canonicalKind(entity, field);
        if (kind === null) {
          ctx.addIssue({ code: 'custom', path: [...at, 'fields', field], message: `у записей ${entity} нет поля «${field}» (поля модели ejsync — docs/formats/sedizh-xml.md)` });
          continue;
        }
        const key = `${spec.attribute ? '@' : ''}${spec.name}`;
        if (names.has(key)) ctx.addIssue({ code: 'custom', path: [...at, 'fields', field], message: `«${spec.name}» уже занято другим полем` });
        names.add(key);
        const reserved = [m.records.id, m.records.extId, m.records.action, m.records.effectiveFrom];
        if (spec.attribute && reserved.includes(spec.name)) ctx.addIssue({ code: 'custom', path: [...at, 'fields', field], message: `атрибут «${spec.name}» служебный (идентификаторы и действие записи)` });
        const type = 'type' in spec ? spec.type : 'string';
        const expected = kind === 'number' ? ['int', 'number'] : kind === 'boolean' ? ['bool'] : kind === 'array' ? ['intList'] : ['string', 'date'];
        if (!expected.includes(type)) ctx.addIssue({ code: 'custom', path: [...at, 'fields', field], message: `тип «${type}» не подходит полю «${field}»: укажите ${expected.join(' или ')}` });
        const map = 'map' in spec ? spec.map : undefined;
        if (map && !m.valueMaps[map]) ctx.addIssue({ code: 'custom', path: [...at, 'fields', field, 'map'], message: `таблицы «${map}» нет в valueMaps` });
        if (map && m.valueMaps[map]) {
          const seen = new Map<string, string>();
          for (const [canonical, platform] of Object.entries(m.valueMaps[map])) {
            if (seen.has(platform)) ctx.addIssue({ code: 'custom', path: ['valueMaps', map, canonical], message: `значение платформы «${platform}» уже занято «${seen.get(platform)}»: обратное чтение будет неоднозначным` });
            seen.set(platform, canonical);
          }
        }
      }
      for (const required of requiredFieldsOf(entity)) {
        if (!(required in em.fields)) ctx.addIssue({ code: 'custom', path: [...at, 'fields'], message: `нет обязательного поля «${required}»: без него запись ${entity} нельзя прочитать обратно` });
      }
    }
  });
export type PackageMappingConfig = z.infer<typeof packageMappingSchema>;

const rateLimitSchema = z.object({ max: z.number().int().min(1), durationMs: z.number().int().min(1) });

/** How packages travel: HTTP upload with polling for the receipt, or an exchange directory. */
export const transportSchema = z.discriminatedUnion(
  'kind',
  [
    z.object({
      kind: z.literal('http'),
      /** Base address of the exchange service (`POST {baseUrl}/packages`, `GET {baseUrl}/packages/{id}/receipt`, `GET {baseUrl}/export`). */
      baseUrl: z.url('transport.baseUrl должен быть адресом (https://…)'),
      /** Environment variable holding the bearer token of the exchange account. @defaultValue none (no Authorization header) */
      tokenEnv: z.string().optional(),
    }),
    z.object({
      kind: z.literal('directory'),
      /** Exchange folder: packages go to `outbox/`, receipts and exports come to `inbox/`. */
      dir: z.string().min(1, 'укажите каталог обмена (transport.dir)'),
    }),
  ],
  { message: 'transport.kind: http (загрузка по HTTP) или directory (каталог обмена)' },
);
export type TransportConfig = z.infer<typeof transportSchema>;

export const sedizhInstallationSchema = z.object({
  /** Russian name for reports. */
  name: z.string().min(1),
  transport: transportSchema,
  /** A local emulator (a sandbox), never the live platform. @defaultValue false */
  emulator: z.boolean().default(false),
  /** Deliveries per `durationMs` to this installation, across all workers. @defaultValue the file's `rateLimit` */
  rateLimit: rateLimitSchema.optional(),
});

export const sedizhPlatformSchema = z.object({
  installations: z.record(z.string().regex(/^[a-z][a-z0-9-]*$/, 'имя установки: латинские строчные буквы, цифры, «-»'), sedizhInstallationSchema),
  /** @defaultValue 100 deliveries a second */
  rateLimit: rateLimitSchema.default({ max: 100, durationMs: 1000 }),
  retry: retryPolicySchema.prefault({}),
  /** One request's time limit, ms. @defaultValue 30000 */
  timeoutMs: z.number().int().min(100).default(30_000),
  receipt: z
    .object({
      /** How often the receipt is asked for (HTTP) or looked for (directory), ms. @defaultValue 200 */
      pollIntervalMs: z.number().int().min(10).default(200),
      /** How long a receipt is waited for before the same package is sent once more, ms. @defaultValue 60000 */
      timeoutMs: z.number().int().min(100).default(60_000),
    })
    .prefault({}),
  batch: z
    .object({
      /** Records per package at most. @defaultValue 200 */
      recordsPerPackage: z.number().int().min(1).max(100_000).default(200),
      /** How long a package waits for more records of concurrent deliveries, ms. @defaultValue 30 */
      lingerMs: z.number().int().min(0).max(10_000).default(30),
    })
    .prefault({}),
  /** The platform's daily cut-off: a change accepted after `time` (school-local) takes effect the next day. */
  cutoff: z
    .object({
      /** @defaultValue `14:00` (ЭПОС) */
      time: z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'cutoff.time: время ЧЧ:ММ, например 14:00').default('14:00'),
      /** The next day is the next working day (Monday–Friday). @defaultValue true */
      weekdaysOnly: z.boolean().default(true),
    })
    .prefault({}),
  capabilities: z.partialRecord(entityKey, z.object({ read: z.boolean(), create: z.boolean(), update: z.boolean(), archive: z.boolean() })),
  /** Platform error codes of receipts → ejsync catalogue codes. @defaultValue the default format's codes */
  receiptCodes: z.record(z.string(), z.enum(['sedizh.record_rejected', 'sedizh.reference_unknown', 'sedizh.value_invalid', 'sedizh.not_found', 'sedizh.period_closed', 'sedizh.package_rejected', 'sedizh.package_corrupted'])).default({}),
  mapping: packageMappingSchema,
});
export type SedizhPlatformConfig = z.infer<typeof sedizhPlatformSchema>;
export type SedizhInstallation = z.infer<typeof sedizhInstallationSchema>;

/**
 * Reads and validates the СЭДиЖ platform file (`EJSYNC_SEDIZH_CONFIG`, else the shipped one). A
 * wrong field stops with `config.invalid` naming it: `mapping.entities.pupils.fields.foo: у записей
 * pupils нет поля «foo»`.
 */
export function loadSedizhPlatform(file: string = process.env.EJSYNC_SEDIZH_CONFIG ?? DEFAULT_SEDIZH_CONFIG_FILE): SedizhPlatformConfig {
  let raw: unknown;
  try {
    raw = JSON.parse(readFileSync(file, 'utf8'));
  } catch (cause) {
    throw new EjsyncError((cause as NodeJS.ErrnoException).code === 'ENOENT' ? 'config.not_found' : 'config.invalid', { cause, detail: file });
  }
  return parseSedizhPlatform(raw, file);
}

/** Validates a platform file's content (`file` names it in messages). */
export function parseSedizhPlatform(raw: unknown, file = 'sedizh.json'): SedizhPlatformConfig {
  const parsed = sedizhPlatformSchema.safeParse(raw);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: `${file}: ${formatIssues(parsed.error)}` });
  for (const name of Object.keys(parsed.data.capabilities) as EntityCollection[]) {
    const cap = parsed.data.capabilities[name]!;
    if ((cap.create || cap.update || cap.archive) && !parsed.data.mapping.entities[name]) {
      throw new EjsyncError('config.invalid', { detail: `${file}: capabilities.${name}: запись разрешена, но в mapping.entities нет раздела ${name}` });
    }
  }
  return parsed.data;
}

/** The installation of a link (`target.installation`), or a config error naming the known ones. */
export function sedizhInstallationOf(config: SedizhPlatformConfig, name: string): SedizhInstallation {
  const inst = config.installations[name];
  if (!inst) throw new EjsyncError('config.invalid', { detail: `target.installation «${name}»: в config/platforms/sedizh.json есть ${Object.keys(config.installations).join(', ')}` });
  return inst;
}

export const sedizhCapabilitiesOf = (config: SedizhPlatformConfig): CapabilityMatrix => config.capabilities as CapabilityMatrix;
