import { EjsyncError, isEjsyncError, makeFinding, type ApplyOutcome, type Attendance, type CapabilityMatrix, type ComparisonRules, type EntityCollection, type Finding, type Mark, type ResolvedChange, type Snapshot, type Work } from '../../model';
import { logEntryBody, logEntryKey, markBody, markInSystem, workBody, type DnevnikValueMaps } from '../../mappers/dnevnik';
import type { ReadScope, TargetConnector } from '../target-connector';
import type { DnevnikClient } from './dnevnik-client';
import { DnevnikLookups } from './dnevnik-lookups';
import { defaultMarkEndpoints, expandPath, type MarkEndpoints } from './mark-endpoints';
import { readPlatformSnapshot } from './read-platform-snapshot';
import { markSchema, workSchema } from './wire-schemas';
import { readBackRecord } from './read-back';

/** Options of {@link DnevnikConnector}. */
export interface DnevnikConnectorOptions {
  client: DnevnikClient;
  baseUrl: string;
  /** The school's id on the platform. */
  schoolId: string;
  timeZone: string;
  capabilities: CapabilityMatrix;
  comparableFields: Partial<Record<EntityCollection, readonly string[]>>;
  /** @defaultValue none */
  comparison?: ComparisonRules;
  maps: DnevnikValueMaps;
  /** @defaultValue 30 */
  attendanceWindowDays?: number;
  /** Mark write endpoints of the installation (`markEndpointsOf(config, installation)`). @defaultValue `/persons/{person}/works/{work}/mark` for all three */
  markEndpoints?: MarkEndpoints;
  /** The mark system assumed when the school's profile names none (config `defaultMarkType`). @defaultValue `mark5` */
  defaultMarkType?: string;
}

/** Failures after which a create may have landed on the platform although no answer came. */
const ANSWER_MAY_BE_LOST = new Set(['dnevnik.timeout', 'dnevnik.connection_failed', 'dnevnik.server_error']);

/** What the delivery log shows when a lost answer was recovered by a natural-key lookup. */
export const LOST_ANSWER_CHECK = '(ответ потерян — запись найдена проверкой)';

/**
 * Дневник.ру as a target: reads the journal into a Snapshot, writes what the API can write
 * (works, marks on works, attendance log entries), and finds a record a create would make so that
 * a delivery repeated after a crash never writes twice. A create whose answer was lost (timeout,
 * dropped connection, 5xx) is looked up by natural key at once; a delete answered "not found"
 * succeeds when the record is verifiably gone.
 */
export class DnevnikConnector implements TargetConnector {
  readonly platform = 'dnevnik';
  readonly baseUrl: string;
  readonly capabilities: CapabilityMatrix;
  readonly comparableFields: Partial<Record<EntityCollection, readonly string[]>>;
  readonly comparison?: ComparisonRules;
  private readonly lookups: DnevnikLookups;
  private readonly markEndpoints: MarkEndpoints;

  constructor(private readonly options: DnevnikConnectorOptions) {
    this.baseUrl = options.baseUrl;
    this.capabilities = options.capabilities;
    this.comparableFields = options.comparableFields;
    this.comparison = options.comparison;
    this.lookups = new DnevnikLookups(options.client, options.schoolId, options.maps, options.defaultMarkType);
    this.markEndpoints = options.markEndpoints ?? defaultMarkEndpoints();
  }

  /** `emulator` when the server's last answer said it is one (`X-Ejsync-Emulator`), else `live` — whatever the link's config says. */
  get environment(): 'live' | 'emulator' {
    return this.options.client.answeredByEmulator ? 'emulator' : 'live';
  }

  async readSnapshot(scope: ReadScope): Promise<{ snapshot: Snapshot; findings: Finding[] }> {
    const read = await readPlatformSnapshot(this.options.client, scope, {
      timeZone: this.options.timeZone,
      maps: this.options.maps,
      attendanceWindowDays: this.options.attendanceWindowDays ?? 30,
      defaultMarkType: this.options.defaultMarkType,
    });
    this.lookups.knowWorkTypes(read.workTypes);
    this.lookups.knowMarkSystem(read.markSystem);
    return { snapshot: read.snapshot, findings: read.findings };
  }

  /** Marks the school's mark system cannot hold: `dnevnik.mark_not_in_system`, before anything is sent. */
  async screen(changes: readonly Pick<ResolvedChange, 'id' | 'entity' | 'op' | 'sourceId' | 'after'>[]): Promise<Map<string, Finding>> {
    const out = new Map<string, Finding>();
    const marks = changes.filter((c) => c.entity === 'marks' && c.op !== 'archive' && c.after);
    if (!marks.length) return out;
    const system = await this.lookups.markSystem();
    for (const c of marks) {
      const held = markInSystem((c.after as Mark).value, system, this.options.maps);
      if (!held.ok) out.set(c.id, makeFinding('dnevnik.mark_not_in_system', { entity: 'marks', sourceId: c.sourceId, detail: held.why }));
    }
    return out;
  }

  stepAsideMs(): Promise<number> {
    return this.options.client.stepAsideMs();
  }

  findExisting(change: ResolvedChange): Promise<string | null> {
    return this.lookups.existing(change);
  }

  readBack(change: ResolvedChange): Promise<Record<string, unknown> | null> {
    return readBackRecord(this.options.client, this.lookups, this.options.maps, change);
  }

  async apply(change: ResolvedChange): Promise<ApplyOutcome> {
    if (!this.capabilities[change.entity]?.[change.op]) throw new EjsyncError('dnevnik.method_not_supported', { detail: `${change.entity}/${change.op} не разрешено матрицей возможностей` });
    const write = () => this.write(change);
    if (change.op === 'create') return this.recoveringLostAnswer(change, write);
    if (change.op === 'archive') return this.toleratingGone(change, write);
    return write();
  }

  /** A create that failed without a trustworthy answer: the record may be there already. */
  private async recoveringLostAnswer(change: ResolvedChange, write: () => Promise<ApplyOutcome>): Promise<ApplyOutcome> {
    try {
      return await write();
    } catch (error) {
      if (!isEjsyncError(error) || !ANSWER_MAY_BE_LOST.has(error.code)) throw error;
      const found = await this.lookups.existing(change).catch(() => null);
      if (found === null) throw error;
      return { targetId: found, status: 200, request: { method: 'GET', path: LOST_ANSWER_CHECK } };
    }
  }

  /** A repeated delete whose first answer was lost gets "not found": that is success if the record is gone. */
  private async toleratingGone(change: ResolvedChange, write: () => Promise<ApplyOutcome>): Promise<ApplyOutcome> {
    try {
      return await write();
    } catch (error) {
      if (!isEjsyncError(error) || error.code !== 'dnevnik.not_found') throw error;
      if (!(await this.lookups.isGone(change).catch(() => false))) throw error;
      return { targetId: change.targetId!, status: 404, request: { method: 'DELETE', path: '(запись уже удалена)' } };
    }
  }

  private write(change: ResolvedChange): Promise<ApplyOutcome> {
    switch (change.entity) {
      case 'works':
        return this.writeWork(change as ResolvedChange<'works'>);
      case 'marks':
        return this.writeMark(change as ResolvedChange<'marks'>);
      case 'attendance':
        return this.writeAttendance(change as ResolvedChange<'attendance'>);
      default:
        throw new EjsyncError('dnevnik.method_not_supported', { detail: `${change.entity}/${change.op}` });
    }
  }

  private async writeWork(change: ResolvedChange<'works'>): Promise<ApplyOutcome> {
    const client = this.options.client;
    if (change.op === 'archive') {
      const p = `/works/${change.targetId}`;
      await client.delete(p);
      return { targetId: change.targetId!, status: 200, request: { method: 'DELETE', path: p } };
    }
    const w = change.after as Work;
    const lessonId = await this.lookups.requireLesson(w, change.sourceId);
    const body = workBody(w, await this.lookups.workTypeId(w), lessonId);
    if (change.op === 'create') {
      const made = await client.post('/works', body, workSchema);
      return { targetId: made.id_str, status: 201, request: { method: 'POST', path: '/works' } };
    }
    const p = `/works/${change.targetId}`;
    await client.put(p, body);
    return { targetId: change.targetId!, status: 200, request: { method: 'PUT', path: p } };
  }

  private async writeMark(change: ResolvedChange<'marks'>): Promise<ApplyOutcome> {
    const client = this.options.client;
    const m = (change.after ?? change.before) as Mark;
    if (!m.workId) throw new EjsyncError('dnevnik.lesson_missing', { detail: `отметка ${change.sourceId} без работы: в Дневник.ру отметка ставится за работу на уроке` });
    const ids = { person: m.pupilId, work: m.workId, lesson: m.lessonId, mark: change.op === 'create' ? undefined : change.targetId };
    if (change.op === 'archive') {
      const p = expandPath(this.markEndpoints.delete.path, ids);
      await client.delete(p);
      return { targetId: change.targetId!, status: 200, request: { method: 'DELETE', path: p } };
    }
    const endpoint = change.op === 'create' ? this.markEndpoints.create : this.markEndpoints.update;
    const p = expandPath(endpoint.path, ids);
    const body = markBody(m, await this.markValue(m));
    const made = await client.write(endpoint.method, p, body, markSchema.optional());
    // An endpoint that answers without the mark (204): its id is read back by pupil + work.
    const targetId = made?.id_str ?? (change.op === 'update' ? change.targetId : undefined) ?? (await this.lookups.marksOf(m.pupilId, m.workId))[0]?.id_str;
    if (!targetId) throw new EjsyncError('dnevnik.unexpected_response', { detail: `${endpoint.method} ${p}: отметка не вернулась и не нашлась` });
    return { targetId, status: change.op === 'create' ? 201 : 200, request: { method: endpoint.method, path: p } };
  }

  private async writeAttendance(change: ResolvedChange<'attendance'>): Promise<ApplyOutcome> {
    const client = this.options.client;
    const a = (change.after ?? change.before) as Attendance;
    const p = `/lessons/${a.lessonId}/log-entries`;
    const key = logEntryKey(a.lessonId, a.pupilId);
    if (change.op === 'archive') {
      await client.delete(p, { person: a.pupilId });
      return { targetId: key, status: 200, request: { method: 'DELETE', path: p } };
    }
    const status = this.options.maps.attendanceStatuses[a.status] as string | undefined;
    if (!status) throw new EjsyncError('dnevnik.value_unmapped', { detail: `статус посещаемости «${a.status}» (attendanceStatuses)` });
    const body = logEntryBody(a, status);
    if (change.op === 'create') await client.post(p, body);
    else await client.put(p, body);
    return { targetId: key, status: change.op === 'create' ? 201 : 200, request: { method: change.op === 'create' ? 'POST' : 'PUT', path: p } };
  }

  /**
   * The mark's value in the school's mark system — checked again here, before the request, for
   * deliveries planned elsewhere: a value with no mapping at all is `dnevnik.value_unmapped`, one
   * the system cannot hold `dnevnik.mark_not_in_system`; neither is sent.
   */
  private async markValue(mark: Mark): Promise<string> {
    const system = await this.lookups.markSystem();
    const held = markInSystem(mark.value, system, this.options.maps);
    if (held.ok) return held.value;
    const mapped = /^[1-5][+-]?$/.test(mark.value) || mark.value in this.options.maps.markValues || Object.values(this.options.maps.markSystemValues ?? {}).some((t) => mark.value in t);
    throw new EjsyncError(mapped ? 'dnevnik.mark_not_in_system' : 'dnevnik.value_unmapped', { detail: `отметка «${mark.value}»: ${held.why}` });
  }
}
