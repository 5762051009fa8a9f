import { existsSync } from 'node:fs';
import { appendFile, mkdir, readdir, readFile, rename, rm } from 'node:fs/promises';
import path from 'node:path';
import {
  EjsyncError,
  emptySnapshot,
  hasErrors,
  isEjsyncError,
  type ApplyOutcome,
  type CapabilityMatrix,
  type EntityCollection,
  type Finding,
  type ResolvedChange,
  type School,
  type Snapshot,
} from '../../model';
import { openBundle } from '../file-bundle';
import type { ReadScope, TargetConnector } from '../target-connector';
import { writeOneRosterBulk, writeOneRosterDelta, zipBundle } from './bundle-files';
import { readOneRoster } from './read-oneroster';

/** The collections a OneRoster bundle carries (docs/formats/oneroster.md); the rest it has no file for. */
export const ONEROSTER_CARRIED: readonly EntityCollection[] = ['academicYears', 'periods', 'subjects', 'staff', 'classes', 'subgroups', 'pupils', 'guardians', 'guardianLinks', 'memberships', 'works', 'marks'];

/** Every carried collection can be read, created, changed and removed; nothing else. */
export const ONEROSTER_CAPABILITIES: CapabilityMatrix = Object.fromEntries(ONEROSTER_CARRIED.map((c) => [c, { read: true, create: true, update: true, archive: true }]));

/** Collections filtered by day when a run reads part of the school. */
const DATED: readonly EntityCollection[] = ['works', 'marks'];

/** Options of {@link OneRosterTarget}. */
export interface OneRosterTargetOptions {
  /** The folder the bundles go to: `bulk/` (the school as delivered) and `deltas/NNNNNN-<time>/`. */
  dir: string;
  /** The school as the bundles name it (orgs.csv). */
  school: School;
  /** Where each delta bundle is also sent (`POST`, `application/zip`). @defaultValue none: folder only */
  uploadUrl?: string;
  /** Bearer token of the upload. @defaultValue none */
  uploadToken?: string;
  /** The journal becomes a delta bundle once deliveries pause this many ms (and before every read). @defaultValue 300 */
  lingerMs?: number;
  /** @defaultValue `live` */
  environment?: 'live' | 'emulator';
  /** @defaultValue `() => new Date()` */
  now?: () => Date;
  /** @defaultValue 30000 */
  uploadTimeoutMs?: number;
}

/** One delivered change as the journal keeps it until it is in a bundle. */
interface JournalEntry {
  entity: EntityCollection;
  op: 'create' | 'update' | 'archive';
  id: string;
  after?: Record<string, unknown>;
}

const JOURNAL = '.journal.ndjson';
const FLUSHING = '.journal.flushing.ndjson';

/** Lays journal entries over a school (upserts and removals: replaying one twice changes nothing). */
function replay(state: Snapshot, entries: readonly JournalEntry[]): void {
  for (const e of entries) {
    const list = state[e.entity] as { sourceId: string }[];
    const at = list.findIndex((r) => r.sourceId === e.id);
    if (e.op === 'archive') {
      if (at >= 0) list.splice(at, 1);
    } else if (at >= 0) list[at] = { ...e.after, sourceId: e.id };
    else list.push({ ...e.after, sourceId: e.id });
  }
}

async function readJournal(file: string): Promise<JournalEntry[]> {
  if (!existsSync(file)) return [];
  // A line cut short by a crash was never acknowledged: it is left out.
  return (await readFile(file, 'utf8'))
    .split('\n')
    .filter(Boolean)
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as JournalEntry];
      } catch {
        return [];
      }
    });
}

/**
 * OneRoster 1.2 CSV as a target: the school as delivered is the bulk bundle `<dir>/bulk`, and
 * what each sync changed becomes a delta bundle `<dir>/deltas/<sequence>-<time>` (rows `active` or
 * `tobedeleted`), optionally also uploaded over HTTP. The platform's id of a record is its source
 * id. A delivery is acknowledged once appended to the folder's journal (`.journal.ndjson`); when
 * deliveries pause for `lingerMs`, and before every read of the school, the journal is written out
 * as one delta bundle and a new bulk (delta first, bulk replaced by rename, journal dropped last:
 * a crash anywhere replays the journal, never loses or doubles a record). `readSnapshot` reads
 * `bulk/` with the OneRoster reader, so the planner compares with exactly what a receiver gets.
 * One process writes a link's folder (its deliveries share one connector, `onerosterConnectorFor`).
 */
export class OneRosterTarget implements TargetConnector {
  readonly platform = 'oneroster';
  readonly environment: 'live' | 'emulator';
  readonly baseUrl: string;
  readonly capabilities = ONEROSTER_CAPABILITIES;
  /** Rows written into delta bundles by this connector (for reports and the demo). */
  writes = 0;
  /** The school as delivered so far: bulk plus journal. */
  private state: Snapshot | null = null;
  private timer: NodeJS.Timeout | null = null;
  /** Appends and flushes, one at a time. */
  private chain: Promise<unknown> = Promise.resolve();

  constructor(private readonly options: OneRosterTargetOptions) {
    this.environment = options.environment ?? 'live';
    this.baseUrl = options.uploadUrl ?? options.dir;
  }

  private get bulkDir(): string {
    return path.join(this.options.dir, 'bulk');
  }

  private serial<T>(task: () => Promise<T>): Promise<T> {
    const next = this.chain.then(task);
    this.chain = next.catch(() => undefined);
    return next;
  }

  /** `bulk/` read back (an empty school before the first delivery). */
  private async readBulk(): Promise<{ snapshot: Snapshot; findings: Finding[] }> {
    if (!existsSync(path.join(this.bulkDir, 'manifest.csv'))) return { snapshot: emptySnapshot(this.options.school), findings: [] };
    const bundle = await openBundle(this.bulkDir);
    try {
      const read = await readOneRoster(bundle, { school: this.options.school, schoolSourcedId: this.options.school.sourceId });
      if (!read.snapshot || hasErrors(read.findings)) {
        throw new EjsyncError('oneroster.target_unwritable', { detail: `${this.bulkDir}: пакет не читается (${read.findings.map((f) => f.code).slice(0, 3).join(', ')})` });
      }
      return { snapshot: read.snapshot, findings: read.findings };
    } finally {
      await bundle.close();
    }
  }

  /** The school as delivered: bulk plus what the journal (of a crashed flush too) holds. */
  private async current(): Promise<Snapshot> {
    if (!this.state) {
      const state = (await this.readBulk()).snapshot;
      replay(state, [...(await readJournal(path.join(this.options.dir, FLUSHING))), ...(await readJournal(path.join(this.options.dir, JOURNAL)))]);
      this.state = state;
    }
    return this.state;
  }

  async readSnapshot(scope: ReadScope): Promise<{ snapshot: Snapshot; findings: Finding[] }> {
    await this.flush();
    const read = await this.serial(() => this.readBulk());
    const snapshot = { ...read.snapshot };
    for (const c of DATED) (snapshot[c] as { date: string }[]) = (snapshot[c] as { date: string }[]).filter((r) => r.date >= scope.from && r.date <= scope.to);
    return { snapshot, findings: read.findings };
  }

  private async find(change: ResolvedChange): Promise<{ sourceId: string } | undefined> {
    const state = await this.serial(() => this.current());
    const id = change.targetId ?? change.sourceId;
    return (state[change.entity] as { sourceId: string }[]).find((r) => r.sourceId === id);
  }

  async findExisting(change: ResolvedChange): Promise<string | null> {
    return (await this.find(change))?.sourceId ?? null;
  }

  async readBack(change: ResolvedChange): Promise<Record<string, unknown> | null> {
    const found = await this.find(change);
    return found ? { ...found } : null;
  }

  async apply(change: ResolvedChange): Promise<ApplyOutcome> {
    if (!this.capabilities[change.entity]?.[change.op]) throw new EjsyncError('oneroster.not_carried', { detail: change.entity });
    const id = change.targetId ?? change.sourceId;
    const { sourceId: _ownId, ...after } = (change.after ?? {}) as Record<string, unknown>;
    const entry: JournalEntry = { entity: change.entity, op: change.op, id, ...(change.op === 'archive' ? {} : { after }) };
    await this.serial(async () => {
      const state = await this.current();
      try {
        await mkdir(this.options.dir, { recursive: true });
        await appendFile(path.join(this.options.dir, JOURNAL), JSON.stringify(entry) + '\n');
      } catch (error) {
        throw new EjsyncError('oneroster.target_unwritable', { detail: `${this.options.dir}: ${(error as Error).message}`, cause: error });
      }
      replay(state, [entry]);
    });
    if (this.timer) clearTimeout(this.timer);
    this.timer = setTimeout(() => {
      this.timer = null;
      // A failed flush keeps the journal; the next delivery or read tries again.
      this.flush().catch(() => undefined);
      // Not unref'd: a process whose last delivery just ended stays to write the bundle.
    }, this.options.lingerMs ?? 300);
    return { targetId: id, status: 200, request: { method: this.options.uploadUrl ? 'POST' : 'WRITE', path: `${path.basename(this.options.dir)}/deltas (очередной дельта-пакет)` } };
  }

  /**
   * Writes what the journal holds as one delta bundle and the new bulk (nothing when it is
   * empty). Returns the rows of the delta. Called on its own after deliveries pause.
   */
  flush(): Promise<number> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    return this.serial(async () => {
      const dir = this.options.dir;
      const journal = path.join(dir, JOURNAL);
      const flushing = path.join(dir, FLUSHING);
      if (!existsSync(flushing)) {
        if (!existsSync(journal)) return 0;
        await rename(journal, flushing);
      }
      let staged = '';
      try {
        const state = await this.current();
        await mkdir(path.join(dir, 'deltas'), { recursive: true });
        const fresh = path.join(dir, `.bulk-${process.pid}-${Date.now()}`);
        await writeOneRosterBulk(state, fresh);
        const now = (this.options.now ?? (() => new Date()))();
        const sequence = (await readdir(path.join(dir, 'deltas'))).filter((n) => /^\d{6}-/.test(n)).length + 1;
        const name = `${String(sequence).padStart(6, '0')}-${now.toISOString().replace(/[:.]/g, '-')}`;
        staged = path.join(dir, `.delta-${process.pid}-${Date.now()}`);
        const summary = await writeOneRosterDelta(existsSync(this.bulkDir) ? this.bulkDir : null, fresh, staged, now);
        if (summary.rows > 0) {
          await rename(staged, path.join(dir, 'deltas', name));
          if (this.options.uploadUrl) await this.upload(path.join(dir, 'deltas', name), name);
        }
        const old = path.join(dir, `.bulk-old-${process.pid}-${Date.now()}`);
        if (existsSync(this.bulkDir)) await rename(this.bulkDir, old);
        await rename(fresh, this.bulkDir);
        await rm(old, { recursive: true, force: true });
        await rm(flushing, { force: true });
        this.writes += summary.rows;
        return summary.rows;
      } catch (error) {
        if (staged) await rm(staged, { recursive: true, force: true });
        if (isEjsyncError(error)) throw error;
        throw new EjsyncError('oneroster.target_unwritable', { detail: `${dir}: ${(error as Error).message}`, cause: error });
      }
    });
  }

  private async upload(dir: string, name: string): Promise<void> {
    let response: Response;
    try {
      response = await fetch(this.options.uploadUrl!, {
        method: 'POST',
        headers: { 'content-type': 'application/zip', 'x-oneroster-bundle': name, ...(this.options.uploadToken ? { authorization: `Bearer ${this.options.uploadToken}` } : {}) },
        body: new Uint8Array(await zipBundle(dir)),
        signal: AbortSignal.timeout(this.options.uploadTimeoutMs ?? 30_000),
      });
    } catch (error) {
      throw new EjsyncError('oneroster.upload_failed', { detail: `${name}: ${(error as Error).message}`, cause: error });
    }
    if (!response.ok) throw new EjsyncError('oneroster.upload_failed', { detail: `${name}: HTTP ${response.status}` });
  }
}
