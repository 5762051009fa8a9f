import type { WorkType } from '../../model';

/** A subject of the generated school with the grades that study it and lessons per week. */
export interface CurriculumSubject {
  id: string;
  name: string;
  shortName: string;
  fgosCode: string;
  fromGrade: number;
  toGrade: number;
  perWeek: number;
  /** Split into two subgroups (languages, informatics) from grade 5. */
  split?: boolean;
}

/** A plausible ФГОС curriculum (lessons per week are simplified). */
export const CURRICULUM: readonly CurriculumSubject[] = [
  { id: 'subj-rus', name: 'Русский язык', shortName: 'Рус. яз.', fgosCode: '01.01', fromGrade: 1, toGrade: 11, perWeek: 4 },
  { id: 'subj-lit', name: 'Литература', shortName: 'Лит.', fgosCode: '01.02', fromGrade: 1, toGrade: 11, perWeek: 2 },
  { id: 'subj-math', name: 'Математика', shortName: 'Матем.', fgosCode: '04.01', fromGrade: 1, toGrade: 6, perWeek: 5 },
  { id: 'subj-alg', name: 'Алгебра', shortName: 'Алг.', fgosCode: '04.02', fromGrade: 7, toGrade: 11, perWeek: 3 },
  { id: 'subj-geom', name: 'Геометрия', shortName: 'Геом.', fgosCode: '04.03', fromGrade: 7, toGrade: 11, perWeek: 2 },
  { id: 'subj-eng', name: 'Английский язык', shortName: 'Англ. яз.', fgosCode: '02.01', fromGrade: 2, toGrade: 11, perWeek: 3, split: true },
  { id: 'subj-world', name: 'Окружающий мир', shortName: 'Окр. мир', fgosCode: '05.01', fromGrade: 1, toGrade: 4, perWeek: 2 },
  { id: 'subj-hist', name: 'История', shortName: 'Ист.', fgosCode: '05.02', fromGrade: 5, toGrade: 11, perWeek: 2 },
  { id: 'subj-bio', name: 'Биология', shortName: 'Биол.', fgosCode: '06.01', fromGrade: 5, toGrade: 11, perWeek: 1 },
  { id: 'subj-phys', name: 'Физика', shortName: 'Физ.', fgosCode: '06.02', fromGrade: 7, toGrade: 11, perWeek: 2 },
  { id: 'subj-inf', name: 'Информатика', shortName: 'Информ.', fgosCode: '04.04', fromGrade: 7, toGrade: 11, perWeek: 1, split: true },
  { id: 'subj-pe', name: 'Физическая культура', shortName: 'Физ-ра', fgosCode: '09.01', fromGrade: 1, toGrade: 11, perWeek: 2 },
];

export const TOPICS: Record<string, readonly string[]> = {
  'subj-rus': ['Правописание безударных гласных', 'Сложноподчинённое предложение', 'Повторение: морфология', 'Развитие речи. Изложение'],
  'subj-lit': ['Лирика А. С. Пушкина', 'Басни И. А. Крылова', 'Проза Л. Н. Толстого', 'Внеклассное чтение'],
  'subj-math': ['Натуральные числа', 'Обыкновенные дроби', 'Десятичные дроби', 'Решение задач'],
  'subj-alg': ['Линейные уравнения', 'Квадратные уравнения', 'Функции и графики', 'Неравенства'],
  'subj-geom': ['Треугольники', 'Подобие', 'Окружность', 'Векторы'],
  'subj-eng': ['Present Simple', 'My family', 'Past Continuous', 'Reading: London'],
  'subj-world': ['Времена года', 'Наш край', 'Человек и природа', 'Правила безопасности'],
  'subj-hist': ['Древний Египет', 'Киевская Русь', 'Смутное время', 'Петровские реформы'],
  'subj-bio': ['Клетка', 'Растения', 'Животные', 'Экосистемы'],
  'subj-phys': ['Механическое движение', 'Сила тяжести', 'Давление', 'Электрический ток'],
  'subj-inf': ['Алгоритмы', 'Системы счисления', 'Электронные таблицы', 'Программирование'],
  'subj-pe': ['Лёгкая атлетика', 'Баскетбол', 'Гимнастика', 'Лыжная подготовка'],
};

/** Which work a lesson carries, every so often. */
export const LESSON_WORKS: readonly (readonly [WorkType, number])[] = [
  ['lesson_answer', 70],
  ['homework', 15],
  ['test', 10],
  ['control', 5],
];

export const WORK_TITLES: Record<WorkType, string> = {
  lesson_answer: 'Ответ на уроке',
  homework: 'Домашняя работа',
  control: 'Контрольная работа',
  test: 'Самостоятельная работа',
  dictation: 'Диктант',
  essay: 'Сочинение',
  lab: 'Лабораторная работа',
  practical: 'Практическая работа',
  project: 'Проект',
};

export const WORK_WEIGHTS: Record<WorkType, number> = { lesson_answer: 1, homework: 1, control: 3, test: 2, dictation: 2, essay: 2, lab: 1, practical: 1, project: 2 };
