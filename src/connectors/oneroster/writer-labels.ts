import type { MarkKind, PeriodKind, WorkType } from '../../model';

/**
 * Gradebook category titles the OneRoster writer gives each kind of work. They are chosen so that
 * the reader's `categoryMeaning` turns them back into the same work type (a test is «Тест», not
 * «Самостоятельная работа», which would read as an answer in class).
 */
export const WORK_CATEGORY_TITLES: Readonly<Record<WorkType, string>> = {
  lesson_answer: 'Ответ на уроке',
  homework: 'Домашняя работа',
  control: 'Контрольная работа',
  test: 'Тест',
  dictation: 'Диктант',
  essay: 'Сочинение',
  lab: 'Лабораторная работа',
  practical: 'Практическая работа',
  project: 'Проект',
};

/** Category titles of period-mark line items, read back as that kind of mark. */
export const MARK_CATEGORY_TITLES: Readonly<Record<Exclude<MarkKind, 'current'>, string>> = {
  quarter: 'Четвертные отметки',
  half_year: 'Полугодовые отметки',
  year: 'Годовые отметки',
  exam: 'Экзаменационные отметки',
  final: 'Итоговые отметки',
};

/** The OneRoster session type of each period kind, and the word its title must carry. */
export const PERIOD_SESSIONS: Readonly<Record<Exclude<PeriodKind, 'year'>, { type: string; word: string }>> = {
  quarter: { type: 'gradingPeriod', word: 'четверть' },
  half_year: { type: 'semester', word: 'полугодие' },
  trimester: { type: 'term', word: 'триместр' },
};

/** Title and id of the course homeroom classes hang on (canonical classes have no subject). */
export const HOMEROOM_COURSE = { sourcedId: 'ejsync-homeroom', title: 'Классный час' } as const;
