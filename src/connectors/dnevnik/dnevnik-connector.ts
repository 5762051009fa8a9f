import { EjsyncError, type ApplyOutcome, type Attendance, type CapabilityMatrix, type EntityCollection, type Finding, type Mark, type ResolvedChange, type Snapshot, type Work } from '../../model';
import { logEntryBody, logEntryKey, markBody, markValueToWire, workBody, type DnevnikValueMaps, type WireLogEntry, type WireMark, type WireWork, type WireWorkType } from '../../mappers/dnevnik';
import type { ReadScope, TargetConnector } from '../target-connector';
import type { DnevnikClient } from './dnevnik-client';
import { readPlatformSnapshot } from './read-platform-snapshot';

/** Options of {@link DnevnikConnector}. */
export interface DnevnikConnectorOptions {
  client: DnevnikClient;
  baseUrl: string;
  environment: 'live' | 'emulator';
  /** The school's id on the platform. */
  schoolId: string;
  timeZone: string;
  capabilities: CapabilityMatrix;
  comparableFields: Partial<Record<EntityCollection, readonly string[]>>;
  maps: DnevnikValueMaps;
  /** @defaultValue 30 */
  attendanceWindowDays?: number;
}

/**
 * Дневник.ру as a target: reads the journal into a Snapshot, writes what the API can write
 * (works, marks on works, attendance log entries), and finds a record a create would make so that
 * a delivery repeated after a crash never writes twice.
 */
export class DnevnikConnector implements TargetConnector {
  readonly platform = 'dnevnik';
  readonly environment: 'live' | 'emulator';
  readonly baseUrl: string;
  readonly capabilities: CapabilityMatrix;
  readonly comparableFields: Partial<Record<EntityCollection, readonly string[]>>;
  private workTypes: Promise<WireWorkType[]> | null = null;

  constructor(private readonly options: DnevnikConnectorOptions) {
    this.environment = options.environment;
    this.baseUrl = options.baseUrl;
    this.capabilities = options.capabilities;
    this.comparableFields = options.comparableFields;
  }

  async readSnapshot(scope: ReadScope): Promise<{ snapshot: Snapshot; findings: Finding[] }> {
    const read = await readPlatformSnapshot(this.options.client, scope, { timeZone: this.options.timeZone, maps: this.options.maps, attendanceWindowDays: this.options.attendanceWindowDays ?? 30 });
    this.workTypes = Promise.resolve(read.workTypes);
    return { snapshot: read.snapshot, findings: read.findings };
  }

  /** The school's work type for a canonical one, by the title configured in `workTypes`. */
  private async workTypeId(work: Work): Promise<string> {
    this.workTypes ??= this.options.client.get<WireWorkType[]>(`/work-types/${this.options.schoolId}`);
    const title = this.options.maps.workTypes[work.workType].toLocaleLowerCase('ru-RU');
    const found = (await this.workTypes).find((t) => t.title.toLocaleLowerCase('ru-RU') === title);
    if (!found) throw new EjsyncError('dnevnik.value_unmapped', { detail: `в школе нет типа работы «${this.options.maps.workTypes[work.workType]}»` });
    return found.id_str;
  }

  private markValue(mark: Mark): string {
    const value = markValueToWire(mark.value, this.options.maps);
    if (value === null) throw new EjsyncError('dnevnik.value_unmapped', { detail: `отметка «${mark.value}»` });
    return value;
  }

  private attendanceStatus(entry: Attendance): string {
    return this.options.maps.attendanceStatuses[entry.status];
  }

  async findExisting(change: ResolvedChange): Promise<string | null> {
    const client = this.options.client;
    if (change.op !== 'create' || !change.after) return null;
    switch (change.entity) {
      case 'attendance': {
        const a = change.after as Attendance;
        const entries = await client.get<WireLogEntry[]>(`/lesson-log-entries/lesson/${a.lessonId}/person/${a.pupilId}`);
        return entries.some((e) => e.status !== 'Attend') ? logEntryKey(a.lessonId, a.pupilId) : null;
      }
      case 'marks': {
        const m = change.after as Mark;
        if (!m.workId) return null;
        const marks = await client.get<WireMark[]>(`/persons/${m.pupilId}/works/${m.workId}/marks`);
        return marks[0]?.id_str ?? null;
      }
      case 'works': {
        const w = change.after as Work;
        if (!w.lessonId) return null;
        const typeId = await this.workTypeId(w);
        const works = await client.get<WireWork[]>(`/lessons/${w.lessonId}/works`);
        const text = w.title ?? w.description ?? null;
        return works.find((x) => x.workType_str === typeId && (x.text ?? null) === text)?.id_str ?? null;
      }
      default:
        return null;
    }
  }

  async apply(change: ResolvedChange): Promise<ApplyOutcome> {
    const client = this.options.client;
    const op = change.op;
    if (!this.capabilities[change.entity]?.[op]) throw new EjsyncError('dnevnik.method_not_supported', { detail: `${change.entity}/${op} не разрешено матрицей возможностей` });
    switch (change.entity) {
      case 'works': {
        const w = (change.after ?? change.before) as Work;
        if (op === 'archive') {
          const p = `/works/${change.targetId}`;
          await client.delete(p);
          return { targetId: change.targetId!, status: 200, request: { method: 'DELETE', path: p } };
        }
        if (!w.lessonId) throw new EjsyncError('dnevnik.lesson_missing', { detail: `работа ${change.sourceId} от ${w.date}` });
        const body = workBody(w, await this.workTypeId(w), w.lessonId);
        if (op === 'create') {
          const made = await client.post<WireWork>('/works', body);
          return { targetId: made.id_str, status: 201, request: { method: 'POST', path: '/works' } };
        }
        const p = `/works/${change.targetId}`;
        await client.put<WireWork>(p, body);
        return { targetId: change.targetId!, status: 200, request: { method: 'PUT', path: p } };
      }
      case 'marks': {
        const m = (change.after ?? change.before) as Mark;
        if (!m.workId) throw new EjsyncError('dnevnik.lesson_missing', { detail: `отметка ${change.sourceId} без работы` });
        const p = `/persons/${m.pupilId}/works/${m.workId}/mark`;
        if (op === 'archive') {
          await client.delete(p);
          return { targetId: change.targetId!, status: 200, request: { method: 'DELETE', path: p } };
        }
        const body = markBody(m, this.markValue(m));
        const made = op === 'create' ? await client.post<WireMark>(p, body) : await client.put<WireMark>(p, body);
        return { targetId: made.id_str, status: op === 'create' ? 201 : 200, request: { method: op === 'create' ? 'POST' : 'PUT', path: p } };
      }
      case 'attendance': {
        const a = (change.after ?? change.before) as Attendance;
        const p = `/lessons/${a.lessonId}/log-entries`;
        const key = logEntryKey(a.lessonId, a.pupilId);
        if (op === 'archive') {
          await client.delete(p, { person: a.pupilId });
          return { targetId: key, status: 200, request: { method: 'DELETE', path: p } };
        }
        const body = logEntryBody(a, this.attendanceStatus(a));
        if (op === 'create') await client.post<WireLogEntry>(p, body);
        else await client.put<WireLogEntry>(p, body);
        return { targetId: key, status: op === 'create' ? 201 : 200, request: { method: op === 'create' ? 'POST' : 'PUT', path: p } };
      }
      default:
        throw new EjsyncError('dnevnik.method_not_supported', { detail: `${change.entity}/${op}` });
    }
  }
}
