import { z } from 'zod';

/**
 * Job payloads carry ids only (152-ФЗ: Redis holds no names, СНИЛС or tokens). Every value must
 * look like an id: letters, digits and `._~-`, at most 200 characters.
 */
const idSchema = z.string().regex(/^[A-Za-z0-9_.~-]{1,200}$/, 'в задании очереди допустимы только идентификаторы');

export const planJobSchema = z.object({
  runId: idSchema,
  linkId: idSchema,
});
export type PlanJob = z.infer<typeof planJobSchema>;

export const deliveryJobSchema = z.object({
  runId: idSchema,
  changeId: idSchema,
  linkId: idSchema,
  phase: z.number().int().min(0).max(100),
});
export type DeliveryJob = z.infer<typeof deliveryJobSchema>;

export const alertJobSchema = z.object({
  alertId: idSchema,
});
export type AlertJob = z.infer<typeof alertJobSchema>;

/** Throws when a payload carries anything but ids (a guard at every `queue.add`). */
export function assertIdsOnly<T>(schema: z.ZodType<T>, payload: unknown): T {
  const parsed = schema.safeParse(payload);
  if (!parsed.success) throw new TypeError(`job payload must carry ids only: ${parsed.error.issues.map((i) => i.path.join('.')).join(', ')}`);
  const extra = Object.keys(payload as object).filter((k) => !(k in (parsed.data as object)));
  if (extra.length) throw new TypeError(`job payload has unexpected fields: ${extra.join(', ')}`);
  return parsed.data;
}
