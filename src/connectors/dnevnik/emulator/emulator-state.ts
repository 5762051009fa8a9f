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
  readonly writes: EmulatorWrite[] = [];
  private seq = 0;

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

  record(method: string, path: string, entity: EmulatorWrite['entity'], op: EmulatorWrite['op'], id: string): void {
    this.writes.push({ seq: ++this.seq, at: new Date().toISOString(), method, path, entity, op, id });
  }
}
