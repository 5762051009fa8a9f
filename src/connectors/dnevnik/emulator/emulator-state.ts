import { dateWithin, type Attendance, type Lesson, type Mark, type Membership, type Snapshot, type Work } from '../../../model';
import type { WireWorkType } from '../../../mappers/dnevnik';
import { int64 } from '../../../mappers/dnevnik';
import { PlatformIds } from './onboard-school';

/** One write that reached the emulated platform. */
export interface EmulatorWrite {
  seq: number;
  at: string;
  method: string;
  path: string;
  entity: 'works' | 'marks' | 'attendance';
  op: 'create' | 'update' | 'delete';
  id: string;
  /** The request that made it (`EmulatorRequest.seq`). */
  requestSeq?: number;
  /** The write landed but the connection was dropped before the answer (`dropAfterWriteRate`). */
  answerLost?: true;
}

/** What the emulator did to a request instead of (or after) serving it. */
export type EmulatorFaultKind = 'server_error' | 'html_error' | 'burst_429' | 'throttled' | 'request_limit' | 'timeout' | 'drop' | 'drop_after_write';

/** One request that reached the emulated API (`/v2/…`), as the emulator saw and answered it. */
export interface EmulatorRequest {
  seq: number;
  /** Arrival, ms on the emulator's monotonic clock (`performance.now()`): compare with each other only. */
  t: number;
  method: string;
  /** Without the query string. */
  path: string;
  /** First 8 characters of the access token (tells tokens apart without keeping them). */
  token: string;
  /** Status answered; null when no answer came (dropped, never answered). */
  status: number | null;
  fault?: EmulatorFaultKind;
  /** The wait a 429 named, ms. */
  retryAfterMs?: number;
}

/** A mark as the platform keeps it (value already in platform form). */
export interface StoredMark extends Mark {
  platformValue: string;
  stamp: string;
  workTypeId: string;
}

export interface StoredWork extends Work {
  workTypeId: string;
}

export interface StoredEntry extends Attendance {
  platformStatus: string;
  stamp: string;
}

/** Work types every emulated school has (titles as config `workTypes` expects them). */
export const DEFAULT_WORK_TYPES = ['Работа на уроке', 'Домашняя работа', 'Контрольная работа', 'Самостоятельная работа', 'Диктант', 'Сочинение', 'Лабораторная работа', 'Практическая работа', 'Проект', 'Итоговая отметка'];

const USER_ID_SHIFT = 1_000_000_000_000_000_000n;

/** The emulated platform's data: an onboarded school plus everything written since. */
export class EmulatorState {
  readonly workTypes: WireWorkType[];
  readonly lessons = new Map<string, Lesson>();
  readonly works = new Map<string, StoredWork>();
  /** `person/work` → mark. */
  readonly marks = new Map<string, StoredMark>();
  /** `lesson/person` → entry. */
  readonly entries = new Map<string, StoredEntry>();
  readonly membersByGroup = new Map<string, Membership[]>();
  readonly groupParent = new Map<string, string>();
  /**
   * Person id → the id of their login account (User). Every onboarded person has one; delete an
   * entry to rehearse a pupil without an account (no readable birthday, `userId: null`).
   */
  readonly users = new Map<string, string>();
  readonly writes: EmulatorWrite[] = [];
  readonly requests: EmulatorRequest[] = [];
  private seq = 0;
  private requestSeq = 0;

  constructor(
    readonly school: Snapshot,
    readonly ids = new PlatformIds(999_000_000_000_000_000n + 7n),
  ) {
    this.workTypes = DEFAULT_WORK_TYPES.map((title, i) => {
      const id = String(1_000_000_000_000_000_000n + BigInt(i + 1));
      return { id: int64(id), id_str: id, schoolId: int64(school.school.sourceId), schoolId_str: school.school.sourceId, kind: title, title, abbr: title.slice(0, 3), weight: 1, isFinal: title === 'Итоговая отметка' };
    });
    for (const l of school.lessons) this.lessons.set(l.sourceId, l);
    for (const m of school.memberships) this.membersByGroup.set(m.groupId, [...(this.membersByGroup.get(m.groupId) ?? []), m]);
    for (const g of school.subgroups) this.groupParent.set(g.sourceId, g.classId);
    // A user's id is its person's id shifted by 10^18: stable, 64-bit, distinct from every person id.
    for (const p of [...school.pupils, ...school.staff]) this.users.set(p.sourceId, String(BigInt(p.sourceId) + USER_ID_SHIFT));
  }

  /** Whether a group (class or subgroup) exists. */
  hasGroup(groupId: string): boolean {
    return this.school.classes.some((c) => c.sourceId === groupId) || this.groupParent.has(groupId);
  }

  /** The group and, for a class, its subgroups. */
  groupAndChildren(groupId: string): Set<string> {
    const out = new Set([groupId]);
    for (const [child, parent] of this.groupParent) if (parent === groupId) out.add(child);
    return out;
  }

  isMember(pupilId: string, groupId: string, date: string): boolean {
    return (this.membersByGroup.get(groupId) ?? []).some((m) => m.pupilId === pupilId && dateWithin(date, m.startDate, m.endDate));
  }

  record(method: string, path: string, entity: EmulatorWrite['entity'], op: EmulatorWrite['op'], id: string, request?: EmulatorRequest): EmulatorWrite {
    const write: EmulatorWrite = { seq: ++this.seq, at: new Date().toISOString(), method, path, entity, op, id, ...(request ? { requestSeq: request.seq } : {}) };
    this.writes.push(write);
    return write;
  }

  /** Logs a request on arrival; the answer's status and any fault are filled in later. */
  logRequest(method: string, path: string, token: string): EmulatorRequest {
    const entry: EmulatorRequest = { seq: ++this.requestSeq, t: performance.now(), method, path, token: token.slice(0, 8), status: null };
    this.requests.push(entry);
    return entry;
  }
}
