import { EjsyncError, isEjsyncError, type Attendance, type Mark, type ResolvedChange, type Work } from '../../model';
import { logEntryKey, type DnevnikValueMaps, type MarkSystem, type WireLesson, type WireLogEntry, type WireMark, type WireWork, type WireWorkType } from '../../mappers/dnevnik';
import type { DnevnikClient } from './dnevnik-client';
import { readMarkSystem } from './read-mark-system';
import { lessonSchema, listOf, logEntryOfPersonSchema, markSchema, schoolSchema, workSchema, workTypeSchema } from './wire-schemas';

/** Work texts compare as the planner compares titles: trimmed, single spaces, case-folded, `ё` = `е`. */
const textKey = (text: string | null | undefined) => (text ?? '').replace(/\s+/g, ' ').trim().toLocaleLowerCase('ru-RU').replace(/ё/g, 'е');

/**
 * The reads the connector's writes depend on: the school's work types, the lesson a work without
 * one belongs to, and the natural-key lookups that make a repeated create or delete safe
 * (pupil + lesson for attendance, pupil + work for a mark, lesson + type + text for a work).
 */
export class DnevnikLookups {
  private workTypes: Promise<WireWorkType[]> | null = null;
  private marks: Promise<MarkSystem | null> | null = null;
  private readonly lessonsByGroupDay = new Map<string, Promise<WireLesson[]>>();

  constructor(
    private readonly client: DnevnikClient,
    private readonly schoolId: string,
    private readonly maps: DnevnikValueMaps,
    /** The mark system assumed when the school's profile names none. */
    private readonly defaultMarkType = 'mark5',
  ) {}

  /** Work types already read with the snapshot: no second request. */
  knowWorkTypes(types: WireWorkType[]): void {
    this.workTypes = Promise.resolve(types);
  }

  /** The mark system already read with the snapshot: no second request. */
  knowMarkSystem(system: MarkSystem | null): void {
    this.marks = Promise.resolve(system);
  }

  /** The school's mark system (read once: the school's `markType`, then its values); null when the platform does not list it. */
  markSystem(): Promise<MarkSystem | null> {
    this.marks ??= this.client
      .get(`/schools/${this.schoolId}`, schoolSchema)
      .then((school) => readMarkSystem(this.client, school.markType, this.defaultMarkType))
      .then((read) => read.system)
      .catch((e: unknown) => {
        this.marks = null;
        throw e;
      });
    return this.marks;
  }

  /** The school's work types (read once). */
  workTypeList(): Promise<WireWorkType[]> {
    this.workTypes ??= this.client.get(`/work-types/${this.schoolId}`, listOf(workTypeSchema)).catch((e: unknown) => {
      this.workTypes = null;
      throw e;
    });
    return this.workTypes;
  }

  /** The school's work type for a canonical one, by the title configured in `workTypes`. */
  async workTypeId(work: Work): Promise<string> {
    const title = this.maps.workTypes[work.workType];
    const found = title ? (await this.workTypeList()).find((t) => t.title.toLocaleLowerCase('ru-RU') === title.toLocaleLowerCase('ru-RU')) : undefined;
    if (!found) throw new EjsyncError('dnevnik.value_unmapped', { detail: title ? `в школе нет типа работы «${title}»` : `тип работы «${work.workType}» не сопоставлен (workTypes)` });
    return found.id_str;
  }

  /**
   * The lesson a work hangs on: its own, or — for sources without lessons (OneRoster line items) —
   * the first lesson of the work's group and subject that day. Null when the journal has none.
   */
  async lessonOf(work: Work): Promise<string | null> {
    if (work.lessonId) return work.lessonId;
    const key = `${work.groupId}/${work.date}`;
    let lessons = this.lessonsByGroupDay.get(key);
    if (!lessons) {
      lessons = this.client.get(`/edu-groups/${work.groupId}/lessons/${work.date}/${work.date}`, listOf(lessonSchema));
      this.lessonsByGroupDay.set(key, lessons);
      lessons.catch(() => this.lessonsByGroupDay.delete(key));
    }
    const found = (await lessons).filter((l) => l.group_str === work.groupId && l.subject.id_str === work.subjectId && l.date.slice(0, 10) === work.date).sort((a, b) => a.number - b.number);
    return found[0]?.id_str ?? null;
  }

  /** Like {@link lessonOf}, but a missing lesson is `dnevnik.lesson_missing`. */
  async requireLesson(work: Work, sourceId: string): Promise<string> {
    const lesson = await this.lessonOf(work);
    if (!lesson) throw new EjsyncError('dnevnik.lesson_missing', { detail: `работа ${sourceId} от ${work.date}: в журнале нет урока этого предмета у группы в этот день` });
    return lesson;
  }

  /** The platform id of the record a create would make, if it is already there. */
  async existing(change: ResolvedChange): Promise<string | null> {
    if (change.op !== 'create' || !change.after) return null;
    switch (change.entity) {
      case 'attendance': {
        const a = change.after as Attendance;
        return (await this.logEntryPresent(a.lessonId, a.pupilId)) ? logEntryKey(a.lessonId, a.pupilId) : null;
      }
      case 'marks': {
        const m = change.after as Mark;
        if (!m.workId) return null;
        return (await this.marksOf(m.pupilId, m.workId))[0]?.id_str ?? null;
      }
      case 'works': {
        const w = change.after as Work;
        const lesson = await this.lessonOf(w);
        if (!lesson) return null;
        const typeId = await this.workTypeId(w);
        const text = textKey(w.title ?? w.description);
        const works = await this.worksOf(lesson);
        return works.find((x) => x.workType_str === typeId && textKey(x.text) === text)?.id_str ?? null;
      }
      default:
        return null;
    }
  }

  /**
   * After a delete answered "not found": is the record really gone? (Then an earlier attempt
   * deleted it and only the answer was lost.) False when it is still there or cannot be told —
   * so a wrong delete path is never mistaken for success.
   */
  async isGone(change: ResolvedChange): Promise<boolean> {
    const before = change.before;
    if (!before || !change.targetId) return false;
    switch (change.entity) {
      case 'works': {
        const w = before as Work;
        if (!w.lessonId) return false;
        return !(await this.worksOf(w.lessonId)).some((x) => x.id_str === change.targetId);
      }
      case 'marks': {
        const m = before as Mark;
        if (!m.workId) return false;
        return (await this.marksOf(m.pupilId, m.workId)).length === 0;
      }
      case 'attendance': {
        const a = before as Attendance;
        return !(await this.logEntryPresent(a.lessonId, a.pupilId));
      }
      default:
        return false;
    }
  }

  /** The pupil's marks on a work (the platform keeps at most one per work); none when the work is gone (`apiResourceUnavailable`). */
  marksOf(pupilId: string, workId: string): Promise<WireMark[]> {
    return this.noneIfGone(this.client.get(`/persons/${pupilId}/works/${workId}/marks`, listOf(markSchema)));
  }

  /** The works on a lesson; none when the lesson is gone (`apiResourceUnavailable`). */
  worksOf(lessonId: string): Promise<WireWork[]> {
    return this.noneIfGone(this.client.get(`/lessons/${lessonId}/works`, listOf(workSchema)));
  }

  /** A list read whose subject does not exist (the platform answers 404 for an unknown id) is an empty list. */
  private async noneIfGone<T>(read: Promise<T[]>): Promise<T[]> {
    try {
      return await read;
    } catch (error) {
      if (isEjsyncError(error) && error.code === 'dnevnik.not_found') return [];
      throw error;
    }
  }

  /**
   * The pupil's entry on a lesson. The published clients read one object here; a list or `null`
   * is tolerated too, and "not found" (`apiResourceUnavailable`) is no entry.
   */
  async logEntriesOf(lessonId: string, pupilId: string): Promise<WireLogEntry[]> {
    try {
      return await this.client.get(`/lesson-log-entries/lesson/${lessonId}/person/${pupilId}`, logEntryOfPersonSchema);
    } catch (error) {
      if (isEjsyncError(error) && error.code === 'dnevnik.not_found') return [];
      throw error;
    }
  }

  /** `Attend` is no record: only another status counts as an entry. */
  private async logEntryPresent(lessonId: string, pupilId: string): Promise<boolean> {
    return (await this.logEntriesOf(lessonId, pupilId)).some((e) => e.status !== 'Attend');
  }
}
