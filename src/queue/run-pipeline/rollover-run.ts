import { z } from 'zod';
import type { LinkConfig } from '../../config/link-config';
import { yearCalendarSchema } from '../../config/year-calendar';
import { EjsyncError, isIsoDate, type Snapshot } from '../../model';
import { rollOver } from '../../reconcile/rollover/roll-over';
import type { Actor, RunRecord, Store } from '../../store';

/** What a rollover run is asked to do, kept in its summary (`summary.rollover`): no personal data. */
export const rolloverParamsSchema = z.object({
  /** `2027/2028`: must be the calendar's year. */
  to: z.string().regex(/^\d{4}\/\d{4}$/, 'учебный год записывается как 2027/2028'),
  orderNumber: z.string().trim().min(1, 'номер приказа о переводе обязателен'),
  orderDate: z.string().refine(isIsoDate, 'дата приказа: ГГГГ-ММ-ДД'),
  /** @defaultValue 'carry' */
  subgroups: z.enum(['carry', 'reset']).default('carry'),
  /** @defaultValue 11 */
  finalGrade: z.number().int().min(1).max(12).default(11),
  calendar: yearCalendarSchema,
});
export type RolloverParams = z.infer<typeof rolloverParamsSchema>;

/** The rollover's parameters of a run, or null for any other run. */
export function rolloverParamsOf(run: Pick<RunRecord, 'kind' | 'summary'>): RolloverParams | null {
  if (run.kind !== 'rollover') return null;
  const parsed = rolloverParamsSchema.safeParse(run.summary.rollover);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: `параметры перевода на новый учебный год в запуске: ${parsed.error.issues.map((i) => i.message).join('; ')}` });
  return parsed.data;
}

/**
 * How a run turns the school as read into the school it plans for: a rollover plans the new
 * year (classes promoted, the final grade graduated, the new periods and holidays, the old year
 * ended — `rollOver`); every other run plans the school as read.
 */
export function sourceTransformOf(run: Pick<RunRecord, 'kind' | 'summary'>): ((snapshot: Snapshot) => Snapshot) | undefined {
  const params = rolloverParamsOf(run);
  if (!params) return undefined;
  return (snapshot) =>
    rollOver(snapshot, { calendar: params.calendar, orderNumber: params.orderNumber, orderDate: params.orderDate, subgroups: params.subgroups, finalGrade: params.finalGrade }).snapshot;
}

/**
 * Starts a rollover run of a link (`ejsync rollover`): planned like any run from the link's
 * current export turned into the new year, always held for a person's approval (the preview),
 * applied after approval, rolled back like any run. The order is recorded in the run and the audit.
 */
export async function startRollover(
  store: Store,
  link: LinkConfig,
  input: z.input<typeof rolloverParamsSchema>,
  actor: Actor,
  /** Starts the run as the caller starts runs of this link (its platform's environment and address). */
  start: (options: { kind: 'rollover'; summary: Record<string, unknown> }) => Promise<RunRecord>,
): Promise<RunRecord> {
  const parsed = rolloverParamsSchema.safeParse(input);
  if (!parsed.success) throw new EjsyncError('config.invalid', { detail: parsed.error.issues.map((i) => `${i.path.join('.') || 'rollover'}: ${i.message}`).join('; ') });
  const params = parsed.data;
  if (params.calendar.name !== params.to) throw new EjsyncError('config.invalid', { detail: `--to ${params.to}, а календарь — на ${params.calendar.name}` });
  const run = await start({ kind: 'rollover', summary: { rollover: params } });
  await store.audit.append({
    ...actor,
    action: 'run.rollover_requested',
    objectType: 'run',
    objectId: run.id,
    schoolId: link.school.sourceId,
    details: { linkId: link.id, to: params.to, orderNumber: params.orderNumber, orderDate: params.orderDate, subgroups: params.subgroups, finalGrade: params.finalGrade },
  });
  return run;
}
