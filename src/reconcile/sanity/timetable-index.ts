import type { GroupKind, Lesson, TimetableSlot } from '../../model';

/** Weekday (1–7) and lesson number (0–12) packed into one number key. */
function slotKey(dayOfWeek: number, lessonNumber: number): number {
  return dayOfWeek * 16 + lessonNumber;
}

/**
 * Timetable slots by group kind → group → (weekday, lesson number), each with its validity range,
 * so matching a dated lesson against the timetable is a few map look-ups.
 */
export class TimetableIndex {
  private readonly slots: Record<GroupKind, Map<string, Map<number, TimetableSlot[]>>> = { class: new Map(), subgroup: new Map() };

  constructor(timetable: readonly TimetableSlot[]) {
    for (const s of timetable) {
      const byGroup = this.slots[s.groupKind];
      let byKey = byGroup.get(s.groupId);
      if (!byKey) {
        byKey = new Map();
        byGroup.set(s.groupId, byKey);
      }
      const key = slotKey(s.dayOfWeek, s.lessonNumber);
      const list = byKey.get(key);
      if (list) list.push(s);
      else byKey.set(key, [s]);
    }
  }

  /**
   * Whether some slot of the lesson's group has the lesson's weekday (`dayOfWeek`, ISO 1 = Monday)
   * and lesson number and is valid on the lesson's date.
   */
  covers(lesson: Pick<Lesson, 'groupId' | 'groupKind' | 'lessonNumber' | 'date'>, dayOfWeek: number): boolean {
    const list = this.slots[lesson.groupKind].get(lesson.groupId)?.get(slotKey(dayOfWeek, lesson.lessonNumber));
    if (!list) return false;
    for (const s of list) {
      if ((s.validFrom == null || lesson.date >= s.validFrom) && (s.validTo == null || lesson.date <= s.validTo)) return true;
    }
    return false;
  }
}
