import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { ENTITY_ORDER, EjsyncError, isIsoDate, type EntityCollection } from '../model';

const MONTH_DAY = /^(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;
const CLOCK = /^([01]\d|2[0-3]):[0-5]\d$/;

const percent = (name: string) =>
  z
    .number({ error: `${name}: ожидается число процентов` })
    .min(0, `${name}: не меньше 0 %`)
    .max(100, `${name}: не больше 100 %`);

const minimumChanges = z
  .number({ error: 'minimumChanges (наименьшее число изменений для проверки порогов): ожидается целое число' })
  .int('minimumChanges: ожидается целое число')
  .min(0, 'minimumChanges: не меньше 0');

const windowDay = (name: string) =>
  z
    .string({ error: `${name}: ожидается дата ММ-ДД (ежегодно) или ГГГГ-ММ-ДД` })
    .refine((v) => MONTH_DAY.test(v) || isIsoDate(v), `${name}: ожидается дата ММ-ДД (ежегодно) или ГГГГ-ММ-ДД`);

const clock = (name: string) => z.string().regex(CLOCK, `${name}: ожидается время ЧЧ:ММ`);

/** A date range: yearly `MM-DD` or absolute `YYYY-MM-DD` (both ends alike), optionally with times of day. */
export const dateWindowSchema = z
  .object({
    from: windowDay('from (начало окна)'),
    to: windowDay('to (конец окна)'),
    timeFrom: clock('timeFrom (время начала)').optional(),
    timeTo: clock('timeTo (время окончания)').optional(),
    note: z.string().trim().max(200, 'note: не длиннее 200 символов').optional(),
  })
  .refine((w) => w.from.length === w.to.length, { message: 'from и to: обе даты должны быть в одном виде (ММ-ДД или ГГГГ-ММ-ДД)', path: ['to'] })
  .refine((w) => w.from.length === 5 || w.from <= w.to, { message: 'to (конец окна): раньше начала', path: ['to'] })
  .refine((w) => (w.timeFrom === undefined) === (w.timeTo === undefined), { message: 'timeFrom и timeTo задаются вместе', path: ['timeTo'] });

const thresholdOverrideSchema = z.object({
  archivePercent: percent('archivePercent (порог архивации)').optional(),
  updatePercent: percent('updatePercent (порог изменений)').optional(),
  minimumChanges: minimumChanges.optional(),
});

const entityKeys = ENTITY_ORDER as unknown as [EntityCollection, ...EntityCollection[]];

export const policySchema = z.object({
  /** Safety thresholds that hold a run for a human. */
  thresholds: z
    .object({
      /** @defaultValue 10 */
      archivePercent: percent('archivePercent (порог архивации)').default(10),
      /** @defaultValue 75 */
      updatePercent: percent('updatePercent (порог изменений)').default(75),
      /** @defaultValue 1 */
      minimumChanges: minimumChanges.default(1),
      /** Per-collection overrides. @defaultValue none */
      perEntity: z
        .partialRecord(z.enum(entityKeys, { error: 'perEntity: неизвестный вид записей (ожидается, например, marks, pupils)' }), thresholdOverrideSchema)
        .default({}),
    })
    .prefault({}),
  /** Around 1 September ejsync only adds records. */
  additionsOnly: z
    .object({
      /** @defaultValue 20 August – 15 September */
      windows: z.array(dateWindowSchema).default([{ from: '08-20', to: '09-15', note: 'начало учебного года' }]),
      /** @defaultValue 'defer' */
      archives: z.enum(['defer', 'hold'], { error: 'additionsOnly.archives: допустимо defer (отложить архивацию) или hold (задержать запуск)' }).default('defer'),
    })
    .prefault({}),
  /** What errors in the source do: `hold` the run, or `deliver_valid` records only. @defaultValue 'hold' */
  sourceErrors: z
    .enum(['hold', 'deliver_valid'], { error: 'sourceErrors: допустимо hold (задержать запуск при ошибках выгрузки) или deliver_valid (передать только верные записи)' })
    .default('hold'),
  /** When no sync may run at all. */
  blackout: z
    .object({
      /** @defaultValue none */
      windows: z.array(dateWindowSchema).default([]),
      /** @defaultValue 'refuse' */
      action: z.enum(['refuse', 'hold'], { error: 'blackout.action: допустимо refuse (не запускать) или hold (задержать запуск)' }).default('refuse'),
    })
    .prefault({}),
});

/** A link's policy: thresholds, additions-only and blackout windows. Missing fields take the defaults above. */
export type Policy = z.infer<typeof policySchema>;

/** Validates a policy object; throws `config.invalid` naming the field in Russian. */
export function parsePolicy(raw: unknown, origin = 'policy'): Policy {
  const parsed = policySchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    const where = [origin, ...issue.path.map(String)].join('.');
    throw new EjsyncError('config.invalid', { detail: `${where}: ${issue.message}`, cause: parsed.error });
  }
  return parsed.data;
}

/** The default policy (what `config/policy.json` holds). */
export function defaultPolicy(): Policy {
  return policySchema.parse({});
}

/** Reads and validates a policy JSON file. */
export function loadPolicyFile(file: string): Policy {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (cause) {
    throw new EjsyncError('config.not_found', { detail: file, cause });
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (cause) {
    throw new EjsyncError('config.invalid', { detail: `${file}: файл не является корректным JSON`, cause });
  }
  return parsePolicy(raw, file);
}
