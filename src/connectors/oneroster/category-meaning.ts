import type { MarkKind, WorkType } from '../../model';

/** What a gradebook category stands for: a kind of work, or marks for a period or the year. */
export type CategoryMeaning = { work: WorkType } | { markKind: Exclude<MarkKind, 'current'> };

const MARK_KINDS: [RegExp, Exclude<MarkKind, 'current'>][] = [
  [/четверт|quarter/, 'quarter'],
  [/полугод|semester|half/, 'half_year'],
  [/годов|за год|\byear/, 'year'],
  [/экзамен|exam/, 'exam'],
  [/итогов|final/, 'final'],
];

const WORK_TYPES: [RegExp, WorkType][] = [
  [/домашн|homework/, 'homework'],
  [/контрольн|control/, 'control'],
  [/тест|test|quiz/, 'test'],
  [/диктант|dictation/, 'dictation'],
  [/сочинен|изложен|essay/, 'essay'],
  [/лаборатор|\blab/, 'lab'],
  [/практич|practical/, 'practical'],
  [/проект|project/, 'project'],
];

/**
 * Reads a category title (Russian or English). A title naming a kind of work gives that work
 * type; otherwise a title naming a period (`Четвертные`, `Годовые`, `Итоговые`) makes the line
 * items period marks instead of works; anything else is `lesson_answer` (ответ на уроке).
 */
export function categoryMeaning(title: string | undefined): CategoryMeaning {
  const t = (title ?? '').toLocaleLowerCase('ru-RU').replace(/ё/g, 'е');
  // Work words first: «Итоговая контрольная работа» is a work, «Оценки за четверть» are marks.
  for (const [re, work] of WORK_TYPES) if (re.test(t)) return { work };
  for (const [re, markKind] of MARK_KINDS) if (re.test(t)) return { markKind };
  return { work: 'lesson_answer' };
}
