import type { ApplyOutcome, CapabilityMatrix, ResolvedChange, Snapshot } from '../../src/model';
import { EjsyncError, type EntityCollection } from '../../src/model';
import type { ReadScope, TargetConnector } from '../../src/connectors/target-connector';

const WRITABLE: EntityCollection[] = ['works', 'marks', 'attendance'];

/**
 * An in-memory platform for pipeline tests: holds a Snapshot, applies changes to it, counts
 * writes, and can fail the next N writes with a given error. (The Дневник.ру emulator plays this
 * part over HTTP in the end-to-end tests.)
 */
export class FakePlatform implements TargetConnector {
  readonly platform = 'dnevnik';
  readonly environment = 'emulator' as const;
  readonly baseUrl = 'memory://fake';
  readonly capabilities: CapabilityMatrix;
  /** What the platform cannot take as it is (as the Дневник.ру connector screens marks): set by a test. */
  screen?: TargetConnector['screen'];
  writes = 0;
  private nextId = 1n;
  private failures: { count: number; error: () => Error }[] = [];
  /** A rate-limit failure with a named wait holds this platform's token until then (as the Дневник.ру client does). */
  private pausedUntil = 0;
  private lost = 0;

  /** `writable`: the collections this platform's API writes. @defaultValue works, marks, attendance */
  constructor(
    private state: Snapshot,
    private readonly writable: readonly EntityCollection[] = WRITABLE,
  ) {
    const caps: CapabilityMatrix = {};
    for (const key of Object.keys(state) as (keyof Snapshot)[]) {
      if (key === 'school') continue;
      const writable = this.writable.includes(key);
      caps[key] = { read: true, create: writable, update: writable, archive: writable };
    }
    this.capabilities = caps;
  }

  failNext(count: number, error: () => Error): void {
    this.failures.push({ count, error });
  }

  snapshot(): Snapshot {
    return structuredClone(this.state);
  }

  async readSnapshot(_scope: ReadScope) {
    return { snapshot: this.snapshot(), findings: [] };
  }

  async findExisting(change: ResolvedChange): Promise<string | null> {
    const after = change.after as unknown as Record<string, string>;
    const list = this.state[change.entity] as unknown as Record<string, string>[];
    const found =
      change.entity === 'marks'
        ? list.find((m) => m.pupilId === after.pupilId && m.workId === after.workId)
        : change.entity === 'attendance'
          ? list.find((a) => a.pupilId === after.pupilId && a.lessonId === after.lessonId)
          : change.entity === 'works'
            ? list.find((w) => w.lessonId === after.lessonId && w.workType === after.workType && w.title === after.title)
            : undefined;
    return found?.sourceId ?? null;
  }

  /** The record a change addresses, by its platform id, as held now (null when there is none). */
  async readBack(change: ResolvedChange): Promise<Record<string, unknown> | null> {
    const list = this.state[change.entity] as unknown as Record<string, unknown>[];
    return list.find((r) => r.sourceId === change.targetId) ?? null;
  }

  /** The next `count` writes are answered as done but change nothing (a platform that loses writes). */
  loseNext(count: number): void {
    this.lost += count;
  }

  /** While held: to the hold's end (no spreading; the fake has no request pace). */
  async stepAsideMs(): Promise<number> {
    return Math.max(0, this.pausedUntil - Date.now());
  }

  async apply(change: ResolvedChange): Promise<ApplyOutcome> {
    // A request of a held token waits for the end of the hold (the client's request gate does that).
    const paused = Math.max(0, this.pausedUntil - Date.now());
    if (paused > 0) await new Promise((r) => setTimeout(r, paused));
    const failure = this.failures.find((f) => f.count > 0);
    if (failure) {
      failure.count--;
      const error = failure.error();
      if (error instanceof EjsyncError && error.code === 'dnevnik.rate_limited' && error.waitMs) this.pausedUntil = Date.now() + error.waitMs;
      throw error;
    }
    if (!this.writable.includes(change.entity)) throw new EjsyncError('manual.action_required');
    this.writes++;
    if (this.lost > 0) {
      this.lost--;
      return { targetId: change.targetId ?? String(9000000000000000000n + this.nextId++), status: 200, request: { method: 'PUT', path: `/v2/${change.entity}/${change.targetId ?? ''}` } };
    }
    const list = this.state[change.entity] as unknown as Record<string, unknown>[];
    if (change.op === 'create') {
      const targetId = String(9000000000000000000n + this.nextId++);
      list.push({ ...(change.after as object), sourceId: targetId });
      return { targetId, status: 201, request: { method: 'POST', path: `/v2/${change.entity}` } };
    }
    const index = list.findIndex((r) => r.sourceId === change.targetId);
    if (index < 0) throw new EjsyncError('reconcile.missing_dependency', { detail: `${change.entity} ${change.targetId}` });
    if (change.op === 'update') list[index] = { ...(change.after as object), sourceId: change.targetId };
    else list.splice(index, 1);
    return { targetId: change.targetId!, status: 200, request: { method: change.op === 'update' ? 'PUT' : 'DELETE', path: `/v2/${change.entity}/${change.targetId}` } };
  }
}
