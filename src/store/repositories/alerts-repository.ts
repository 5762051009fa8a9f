import type { Kysely } from 'kysely';
import type { Database } from '../schema';

export interface AlertRecord {
  id: string;
  kind: string;
  linkId: string | null;
  runId: string | null;
  channel: string;
  status: 'pending' | 'sent' | 'failed';
  attempts: number;
  lastError: string | null;
  payload: unknown;
}

/** Alert deliveries: every alert and each attempt's outcome is logged. */
export class AlertsRepository {
  constructor(private readonly db: Kysely<Database>) {}

  /** Creates an alert once (the id is deterministic: the same event never alerts twice). */
  async create(a: Omit<AlertRecord, 'status' | 'attempts' | 'lastError'>): Promise<boolean> {
    const r = await this.db
      .insertInto('alerts')
      .values({ id: a.id, kind: a.kind, link_id: a.linkId, run_id: a.runId, channel: a.channel, status: 'pending', payload: JSON.stringify(a.payload), last_error: null, sent_at: null })
      .onConflict((oc) => oc.column('id').doNothing())
      .executeTakeFirst();
    return Number(r.numInsertedOrUpdatedRows ?? 0) > 0;
  }

  async get(id: string): Promise<AlertRecord | null> {
    const r = await this.db.selectFrom('alerts').selectAll().where('id', '=', id).executeTakeFirst();
    return r ? { id: r.id, kind: r.kind, linkId: r.link_id, runId: r.run_id, channel: r.channel, status: r.status as AlertRecord['status'], attempts: r.attempts, lastError: r.last_error, payload: r.payload } : null;
  }

  async recordAttempt(id: string, outcome: { ok: true } | { ok: false; error: string; final: boolean }): Promise<void> {
    await this.db
      .updateTable('alerts')
      .set((eb) => ({
        attempts: eb('attempts', '+', 1),
        status: outcome.ok ? 'sent' : outcome.final ? 'failed' : 'pending',
        last_error: outcome.ok ? null : outcome.error,
        ...(outcome.ok ? { sent_at: new Date() } : {}),
      }))
      .where('id', '=', id)
      .execute();
  }
}
