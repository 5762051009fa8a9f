import type { TargetConnector } from '../../../src/connectors/target-connector';
import { isEjsyncError, type EntityCollection, type ResolvedChange } from '../../../src/model';
import { classifyDeliveryError } from '../../../src/queue/run-pipeline/delivery-error-class';
import { translateReferences, type IdMapEntry, type PlannedChange } from '../../../src/reconcile';

/** One delivery attempt, as the delivery log would keep it. */
export interface AttemptLog {
  changeId: string;
  attempt: number;
  outcome: 'succeeded' | 'failed';
  /** The natural-key lookup ran before the write (an earlier attempt may have landed). */
  lookedUp: boolean;
  code?: string;
  /** `METHOD /path` of the failed request, from the error's detail. */
  request?: string;
  waitMs?: number;
  kind?: 'rate_limited' | 'transient' | 'permanent';
  /** The request path of a success (`LOST_ANSWER_CHECK` when the connector recovered a lost answer). */
  path?: string;
  /** `cursor()` before and after the attempt (the emulator's request log positions). */
  span?: [number, number];
}

/** Source id → platform id per collection; what the store's id map holds. */
export class MemoryIdMap {
  private readonly maps = new Map<EntityCollection, Map<string, string>>();

  constructor(entries: Iterable<{ entity: EntityCollection; sourceId: string; targetId: string }> = []) {
    for (const e of entries) this.put(e.entity, e.sourceId, e.targetId);
  }
  put(entity: EntityCollection, sourceId: string, targetId: string): void {
    if (!this.maps.has(entity)) this.maps.set(entity, new Map());
    this.maps.get(entity)!.set(sourceId, targetId);
  }
  remove(entity: EntityCollection, sourceId: string): void {
    this.maps.get(entity)?.delete(sourceId);
  }
  get(entity: EntityCollection, sourceId: string): string | undefined {
    return this.maps.get(entity)?.get(sourceId);
  }
  entries(): IdMapEntry[] {
    return [...this.maps].flatMap(([entity, m]) => [...m].map(([sourceId, targetId]) => ({ entity, sourceId, targetId })));
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export interface DeliveryLoopOptions {
  /** Attempts that may fail transiently (a rate limit burns none, as in the queue). @defaultValue 12 */
  maxAttempts?: number;
  /** Backoff between transient failures (the queue's is longer; it does not matter here). @defaultValue 5 ms */
  backoffMs?: number;
  /** Called after each attempt. */
  onAttempt?: (log: AttemptLog) => void;
  /** A position in the platform's request log, kept per attempt as `span`. */
  cursor?: () => number;
}

/**
 * Delivers one planned change the way `processDelivery` (src/queue/run-pipeline/delivery-processor.ts)
 * does: references translated through the id map, `findExisting` before a create that an
 * earlier attempt may have written, `classifyDeliveryError` deciding between waiting out a rate
 * limit (no attempt burnt), retrying with backoff, and giving up. One difference, on purpose:
 * here an earlier attempt "may have written" when it failed transiently (timeout, dropped
 * connection, 5xx), not only after a crash. The processor today looks only after a crash
 * (`outcome === 'sent'`), so its retry after a lost answer writes again; the connector now
 * recovers most lost answers itself, and the processor should adopt this rule as well.
 */
export async function deliverWithRetries(connector: TargetConnector, change: PlannedChange, ids: MemoryIdMap, options: DeliveryLoopOptions = {}): Promise<string> {
  const maxAttempts = options.maxAttempts ?? 12;
  let after: unknown = change.after;
  if (after) {
    const { record, missing } = translateReferences(change.entity, after as object, (e, id) => ids.get(e, id));
    if (missing.length) throw new Error(`${change.id}: unresolved ${missing.map((m) => `${m.field}→${m.entity}/${m.sourceId}`).join(', ')}`);
    after = record;
  }
  const resolved = { id: change.id, entity: change.entity, op: change.op, sourceId: change.sourceId, ...(change.targetId ? { targetId: change.targetId } : {}), ...(change.before ? { before: change.before } : {}), ...(after ? { after } : {}) } as ResolvedChange;
  let maybeWritten = false;
  for (let attempt = 1; attempt <= maxAttempts; ) {
    const lookedUp = maybeWritten && change.op === 'create';
    const start = options.cursor?.();
    const span = (): { span?: [number, number] } => (start === undefined ? {} : { span: [start, options.cursor!()] });
    try {
      let targetId: string | null = lookedUp ? await connector.findExisting(resolved) : null;
      let path = '(проверка существования)';
      if (targetId === null) {
        const outcome = await connector.apply(resolved);
        targetId = outcome.targetId;
        path = outcome.request.path;
      }
      options.onAttempt?.({ changeId: change.id, attempt, outcome: 'succeeded', lookedUp, path, ...span() });
      if (change.op === 'create') ids.put(change.entity, change.sourceId, targetId);
      if (change.op === 'archive') ids.remove(change.entity, change.sourceId);
      return targetId;
    } catch (error) {
      const cls = classifyDeliveryError(error);
      const code = isEjsyncError(error) ? error.code : 'delivery.failed';
      const request = /\b(GET|POST|PUT|PATCH|DELETE) (\/[^\s—]*)/.exec(error instanceof Error ? error.message : '')?.slice(1, 3).join(' ');
      options.onAttempt?.({ changeId: change.id, attempt, outcome: 'failed', lookedUp, code, kind: cls.kind, ...(request ? { request } : {}), ...(cls.kind === 'rate_limited' ? { waitMs: cls.waitMs } : {}), ...span() });
      if (cls.kind === 'permanent') throw error;
      maybeWritten ||= cls.kind === 'transient';
      if (cls.kind === 'rate_limited') {
        await sleep(cls.waitMs);
        continue;
      }
      attempt++;
      if (attempt > maxAttempts) throw error;
      await sleep(options.backoffMs ?? 5);
    }
  }
  throw new Error('unreachable');
}
