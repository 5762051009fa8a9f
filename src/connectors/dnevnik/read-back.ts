import type { Attendance, Mark, ResolvedChange, Work } from '../../model';
import { attendanceFromWire, markValueFromWire, workFromWire, type DnevnikValueMaps } from '../../mappers/dnevnik';
import type { DnevnikClient } from './dnevnik-client';
import type { DnevnikLookups } from './dnevnik-lookups';
import { logEntryOfPersonSchema } from './wire-schemas';

/**
 * The record a change addresses as Дневник.ру holds it now, in canonical fields with platform ids,
 * or null when the platform has none: a work by its id on its lesson, a mark by pupil + work, a
 * log entry by lesson + pupil (`Attend` is no entry). A rollback reads back every undo with it.
 * Read failures are thrown (classified by the client), never taken for "absent".
 */
export async function readBackRecord(client: DnevnikClient, lookups: DnevnikLookups, maps: DnevnikValueMaps, change: ResolvedChange): Promise<Record<string, unknown> | null> {
  const record = change.after ?? change.before;
  if (!record) return null;
  switch (change.entity) {
    case 'works': {
      const w = record as Work;
      const lessonId = w.lessonId ?? (await lookups.lessonOf(w));
      if (!lessonId || !change.targetId) return null;
      const found = (await lookups.worksOf(lessonId)).find((x) => x.id_str === change.targetId);
      if (!found) return null;
      const types = new Map((await lookups.workTypeList()).map((t) => [t.id_str, t]));
      return workFromWire(found, undefined, types, maps) ?? { sourceId: found.id_str, groupId: found.eduGroup_str, subjectId: found.subjectId_str, lessonId: found.lesson_str, title: found.text };
    }
    case 'marks': {
      const m = record as Mark;
      if (!m.workId) return null;
      const [found] = await lookups.marksOf(m.pupilId, m.workId);
      if (!found) return null;
      return { sourceId: found.id_str, pupilId: found.person_str, workId: found.work_str, value: markValueFromWire(found.value, maps, await lookups.markSystem()) ?? found.value };
    }
    case 'attendance': {
      const a = record as Attendance;
      const entries = await client.get(`/lesson-log-entries/lesson/${a.lessonId}/person/${a.pupilId}`, logEntryOfPersonSchema);
      const found = entries.find((e) => e.status !== 'Attend');
      if (!found) return null;
      return attendanceFromWire(found, maps) ?? { sourceId: `${found.lesson_str}-${found.person_str}`, pupilId: found.person_str, lessonId: found.lesson_str, comment: found.comment ?? undefined };
    }
    default:
      return null;
  }
}
