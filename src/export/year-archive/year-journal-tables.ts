import { ATTENDANCE_CODES, fullName, type AcademicYear, type Snapshot } from '../../model';

/** One file of the year's journal: its path inside the archive and its rows (header first). */
export interface JournalFile {
  path: string;
  rows: (string | number)[][];
}

const MARK_KINDS: Record<string, string> = { current: 'текущая', quarter: 'за четверть', half_year: 'за полугодие', year: 'годовая', exam: 'экзаменационная', final: 'итоговая' };
const safe = (name: string) => name.replace(/[\\/:*?"<>|\u0000-\u001f]/g, '_').trim() || '_';
const ru = (iso: string) => `${iso.slice(8, 10)}.${iso.slice(5, 7)}.${iso.slice(0, 4)}`;

/**
 * The closed year's journal as a deputy director opens it: per class and subject the current marks
 * (`Журнал/5А/Математика.csv`), per class the attendance and the period and final marks — each row
 * saying whether it reached the e-journal (`delivered`: source ids with a platform twin). Only
 * records of the year's classes and dates. Pure; the caller writes the files.
 */
export function yearJournalTables(snapshot: Snapshot, year: AcademicYear, delivered: (entity: 'marks' | 'attendance', sourceId: string) => boolean): JournalFile[] {
  const inYear = (d: string) => d >= year.startDate && d <= year.endDate;
  const pupils = new Map(snapshot.pupils.map((p) => [p.sourceId, fullName(p)]));
  const subjects = new Map(snapshot.subjects.map((s) => [s.sourceId, s.name]));
  const classes = new Map(snapshot.classes.filter((c) => c.academicYearId === year.sourceId).map((c) => [c.sourceId, c.name]));
  const subgroups = new Map(snapshot.subgroups.filter((g) => classes.has(g.classId)).map((g) => [g.sourceId, { cls: classes.get(g.classId)!, name: g.name }]));
  const classOf = (groupId: string) => classes.get(groupId) ?? subgroups.get(groupId)?.cls;
  const groupName = (groupId: string) => classes.get(groupId) ?? (subgroups.has(groupId) ? `${subgroups.get(groupId)!.cls}, ${subgroups.get(groupId)!.name}` : groupId);
  const works = new Map(snapshot.works.map((w) => [w.sourceId, w]));
  const lessons = new Map(snapshot.lessons.map((l) => [l.sourceId, l]));
  const periods = new Map(snapshot.periods.map((p) => [p.sourceId, p.name]));
  const yes = (b: boolean) => (b ? 'да' : 'нет');

  const files = new Map<string, JournalFile>();
  const file = (p: string, header: string[]) => {
    let f = files.get(p);
    if (!f) files.set(p, (f = { path: p, rows: [header] }));
    return f;
  };
  const byPupilAndDate = <T extends { pupilId: string }>(a: T & { date: string }, b: T & { date: string }) =>
    (pupils.get(a.pupilId) ?? '').localeCompare(pupils.get(b.pupilId) ?? '', 'ru') || a.date.localeCompare(b.date);

  const marks = snapshot.marks.filter((m) => inYear(m.date) && classOf(m.groupId)).sort(byPupilAndDate);
  for (const m of marks) {
    const cls = safe(classOf(m.groupId)!);
    const subject = subjects.get(m.subjectId) ?? m.subjectId;
    if (m.kind === 'current') {
      const w = m.workId ? works.get(m.workId) : undefined;
      file(`Журнал/${cls}/${safe(subject)}.csv`, ['Ученик', 'Класс или группа', 'Дата', 'Работа', 'Отметка', 'Передано в журнал', 'Идентификатор в МИС']).rows.push([
        pupils.get(m.pupilId) ?? m.pupilId,
        groupName(m.groupId),
        ru(m.date),
        w ? (w.title ?? w.workType) : '',
        m.value,
        yes(delivered('marks', m.sourceId)),
        m.sourceId,
      ]);
    } else {
      file(`Итоговые отметки/${cls}.csv`, ['Ученик', 'Предмет', 'Период', 'Вид отметки', 'Отметка', 'Дата', 'Передано в журнал', 'Идентификатор в МИС']).rows.push([
        pupils.get(m.pupilId) ?? m.pupilId,
        subject,
        m.periodId ? (periods.get(m.periodId) ?? m.periodId) : '',
        MARK_KINDS[m.kind] ?? m.kind,
        m.value,
        ru(m.date),
        yes(delivered('marks', m.sourceId)),
        m.sourceId,
      ]);
    }
  }
  const absences = snapshot.attendance
    .map((a) => ({ a, lesson: lessons.get(a.lessonId) }))
    .filter((x) => x.lesson && inYear(x.lesson.date) && classOf(x.lesson.groupId))
    .sort((x, y) => (pupils.get(x.a.pupilId) ?? '').localeCompare(pupils.get(y.a.pupilId) ?? '', 'ru') || x.lesson!.date.localeCompare(y.lesson!.date));
  for (const { a, lesson } of absences) {
    file(`Посещаемость/${safe(classOf(lesson!.groupId)!)}.csv`, ['Ученик', 'Дата', 'Урок', 'Предмет', 'Отметка', 'Опоздание, мин', 'Комментарий', 'Передано в журнал', 'Идентификатор в МИС']).rows.push([
      pupils.get(a.pupilId) ?? a.pupilId,
      ru(lesson!.date),
      lesson!.lessonNumber,
      subjects.get(lesson!.subjectId) ?? lesson!.subjectId,
      ATTENDANCE_CODES[a.status] ?? a.status,
      a.minutesLate ?? '',
      a.comment ?? '',
      yes(delivered('attendance', a.sourceId)),
      a.sourceId,
    ]);
  }
  return [...files.values()].sort((x, y) => x.path.localeCompare(y.path, 'ru'));
}
