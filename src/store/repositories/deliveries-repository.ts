import { NONE } from '../none';
import { createHash } from 'node:crypto';
import type { Kysely, Selectable } from 'kysely';
import type { Database, DeliveriesTable } from '../schema';

/** A hash of a record's state: the log shows that it changed without holding personal data. */
export function stateHash(value: unknown): string | null {
  if (value === undefined || value === null) return null;
  return createHash('sha256').update(JSON.stringify(value)).digest('hex').slice(0, 16);
}

export interface DeliveryAttempt {
  id: string;
  runId: string;
  linkId: string;
  changeId: string;
  entity: string;
  operation: string;
  sourceId: string;
  targetId: string | null;
  attempt: number;
  /** `sent` until the result is recorded: a `sent` row after a crash means "maybe written". */
  outcome: 'sent' | 'succeeded' | 'failed';
  method: string | null;
  path: string | null;
  status: number | null;
  errorCode: string | null;
  retryable: boolean | null;
  durationMs: number | null;
  /** What the platform said when the attempt failed (Russian message with the request line). */
  detail: string | null;
  beforeHash: string | null;
  afterHash: string | null;
  createdAt: Date;
  finishedAt: Date | null;
}

/** A delivery log row as the rest of ejsync sees it. */
export const toAttempt = (r: Selectable<DeliveriesTable>): DeliveryAttempt => ({
  id: String(r.id),
  runId: r.run_id,
  linkId: r.link_id,
  changeId: r.change_id,
  entity: r.entity,
  operation: r.operation,
  sourceId: r.source_id,
  targetId: r.target_id,
  attempt: r.attempt,
  outcome: r.outcome as DeliveryAttempt['outcome'],
  method: r.method,
  path: r.path,
  status: r.status,
  errorCode: r.error_code,
  retryable: r.retryable,
  durationMs: r.duration_ms,
  detail: r.detail,
  beforeHash: r.before_hash,
  afterHash: r.after_hash,
  createdAt: new Date(r.created_at),
  finishedAt: r.finished_at ? new Date(r.finished_at) : null,
});

export interface StartAttempt {
  runId: string;
  linkId: string;
  changeId: string;
  entity: string;
  operation: string;
  sourceId: string;
  targetId?: string | null;
  before?: unknown;
  after?: unknown;
}

export interface FinishAttempt {
  outcome: 'succeeded' | 'failed';
  targetId?: string | null;
  method?: string;
  path?: string;
  status?: number | null;
  errorCode?: string | null;
  retryable?: boolean | null;
  durationMs: number;
  /** The failure's message (no personal data: ids and the platform's words). Kept to 1000 characters. */
  detail?: string | null;
}

/** The delivery log: one row per attempt, written before the request and completed after it. */
export class DeliveriesRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Records that an attempt is about to be sent; returns its row id and number. */
  async start(a: StartAttempt): Promise<{ id: string; attempt: number }> {
    const previous = await this.db
      .selectFrom('deliveries')
      .select((eb) => eb.fn.max<number>('attempt').as('n'))
      .where('run_id', '=', a.runId)
      .where('change_id', '=', a.changeId)
      .executeTakeFirst();
    const attempt = (previous?.n ?? 0) + 1;
    const row = await this.db
      .insertInto('deliveries')
      .values({
        run_id: a.runId,
        link_id: a.linkId,
        change_id: a.changeId,
        entity: a.entity,
        operation: a.operation,
        source_id: a.sourceId,
        target_id: a.targetId ?? null,
        attempt,
        outcome: 'sent',
        method: null,
        path: null,
        status: null,
        error_code: null,
        retryable: null,
        duration_ms: null,
        detail: null,
        before_hash: stateHash(a.before),
        after_hash: stateHash(a.after),
        finished_at: null,
      })
      .returning('id')
      .executeTakeFirstOrThrow();
    return { id: String(row.id), attempt };
  }

  async finish(id: string, f: FinishAttempt): Promise<void> {
    await this.db
      .updateTable('deliveries')
      .set({
        outcome: f.outcome,
        ...(f.targetId !== undefined ? { target_id: f.targetId } : {}),
        method: f.method ?? null,
        path: f.path ?? null,
        status: f.status ?? null,
        error_code: f.errorCode ?? null,
        retryable: f.retryable ?? null,
        duration_ms: Math.round(f.durationMs),
        detail: f.detail ? f.detail.slice(0, 1000) : null,
        finished_at: new Date(),
      })
      .where('id', '=', id)
      .execute();
  }

  async forChange(runId: string, changeId: string): Promise<DeliveryAttempt[]> {
    const rows = await this.db.selectFrom('deliveries').selectAll().where('run_id', '=', runId).where('change_id', '=', changeId).orderBy('attempt').execute();
    return rows.map(toAttempt);
  }

  async forRun(runId: string, filter: { outcome?: DeliveryAttempt['outcome']; errorCode?: string; limit?: number } = {}): Promise<DeliveryAttempt[]> {
    let q = this.db.selectFrom('deliveries').selectAll().where('run_id', '=', runId);
    if (filter.outcome) q = q.where('outcome', '=', filter.outcome);
    if (filter.errorCode) q = q.where('error_code', '=', filter.errorCode);
    const rows = await q.orderBy('id').limit(filter.limit ?? 100_000).execute();
    return rows.map(toAttempt);
  }

  /**
   * Deliveries of a run the platform accepted for a later day (a daily cut-off: «принято, вступает
   * в силу с ДАТА» in the log), counted per day.
   */
  async acceptedForLater(runId: string): Promise<{ effectiveFrom: string; n: number }[]> {
    const prefix = 'принято, вступает в силу с ';
    const rows = await this.db
      .selectFrom('deliveries')
      .select((eb) => ['detail', eb.fn.countAll<string>().as('n')])
      .where('run_id', '=', runId)
      .where('outcome', '=', 'succeeded')
      .where('detail', 'like', `${prefix}%`)
      .groupBy('detail')
      .orderBy('detail')
      .execute();
    return rows.map((r) => ({ effectiveFrom: (r.detail ?? '').slice(prefix.length), n: Number(r.n) }));
  }

  /** {@link acceptedForLater} per entity too (the run page lists them by kind of record). */
  async acceptedForLaterByEntity(runId: string): Promise<{ entity: string; effectiveFrom: string; n: number }[]> {
    const prefix = 'принято, вступает в силу с ';
    const rows = await this.db
      .selectFrom('deliveries')
      .select((eb) => ['entity', 'detail', eb.fn.countAll<string>().as('n')])
      .where('run_id', '=', runId)
      .where('outcome', '=', 'succeeded')
      .where('detail', 'like', `${prefix}%`)
      .groupBy(['entity', 'detail'])
      .orderBy('detail')
      .orderBy('entity')
      .execute();
    return rows.map((r) => ({ entity: r.entity, effectiveFrom: (r.detail ?? '').slice(prefix.length), n: Number(r.n) }));
  }

  /** Every attempt of a link between two instants, oldest first (a year archive's delivery log). */
  async forLink(linkId: string, between: { from: Date; to: Date }): Promise<DeliveryAttempt[]> {
    const rows = await this.db.selectFrom('deliveries').selectAll().where('link_id', '=', linkId).where('created_at', '>=', between.from).where('created_at', '<', between.to).orderBy('id').execute();
    return rows.map(toAttempt);
  }

  /** Failed attempts across runs grouped by code, with first and last time seen. */
  async failuresByCode(filter: { linkIds?: string[]; since?: Date } = {}): Promise<{ code: string; count: number; firstSeen: Date; lastSeen: Date }[]> {
    let q = this.db
      .selectFrom('deliveries')
      .select(['error_code', (eb) => eb.fn.countAll<string>().as('n'), (eb) => eb.fn.min('created_at').as('first'), (eb) => eb.fn.max('created_at').as('last')])
      .where('outcome', '=', 'failed')
      .where('error_code', 'is not', null);
    if (filter.linkIds) q = q.where('link_id', 'in', filter.linkIds.length ? filter.linkIds : [NONE]);
    if (filter.since) q = q.where('created_at', '>=', filter.since);
    const rows = await q.groupBy('error_code').execute();
    return rows
      .map((r) => ({ code: r.error_code!, count: Number(r.n), firstSeen: new Date(r.first as unknown as string), lastSeen: new Date(r.last as unknown as string) }))
      .sort((a, b) => b.count - a.count);
  }
}
