import type { CatalogueSection } from './entry';

/** Cross-record checks run on a whole Snapshot before anything is sent anywhere. */
export const sanityCodes = {
  'sanity.pupil_without_class': {
    severity: 'error',
    message: 'Обучающийся не зачислен ни в один класс',
    hint: 'Зачислите обучающегося в класс приказом в МИС или отметьте его выбытие.',
  },
  'sanity.class_without_homeroom': {
    severity: 'warning',
    message: 'У класса нет классного руководителя',
    hint: 'Назначьте классного руководителя в МИС: без него в журнале некому получать уведомления.',
  },
  'sanity.subject_not_taught': {
    severity: 'warning',
    message: 'Предмет не преподаётся ни в одном классе',
    hint: 'Проверьте расписание или удалите предмет из справочника.',
  },
  'sanity.lesson_outside_period': {
    severity: 'error',
    message: 'Урок вне отчётного периода',
    hint: 'Дата урока не попадает ни в одну четверть или полугодие класса (возможно, на каникулы). Проверьте дату урока и границы периодов.',
  },
  'sanity.lesson_outside_timetable': {
    severity: 'warning',
    message: 'Урок не соответствует расписанию',
    hint: 'В расписании нет такого урока в этот день недели под этим номером. Проверьте замену или расписание.',
  },
  'sanity.mark_pupil_not_in_group': {
    severity: 'error',
    message: 'Отметка обучающемуся, который в этот день не состоял в классе или группе',
    hint: 'Проверьте даты приказов о зачислении, переводе и выбытии или дату отметки.',
  },
  'sanity.attendance_pupil_not_in_group': {
    severity: 'error',
    message: 'Пропуск у обучающегося, который в этот день не состоял в классе или группе',
    hint: 'Проверьте даты приказов о зачислении, переводе и выбытии или дату урока.',
  },
  'sanity.duplicate_snils': {
    severity: 'error',
    message: 'Один СНИЛС у нескольких людей',
    hint: 'СНИЛС уникален: проверьте, не заведён ли человек дважды, и исправьте номер по документу.',
  },
  'sanity.mark_in_closed_period': {
    severity: 'error',
    message: 'Отметка в закрытом периоде',
    hint: 'Период закрыт: изменить отметки в нём можно только после его открытия приказом. Отметка не будет отправлена.',
  },
  'sanity.attendance_in_closed_period': {
    severity: 'error',
    message: 'Пропуск в закрытом периоде',
    hint: 'Период закрыт: изменить посещаемость в нём можно только после его открытия приказом.',
  },
  'sanity.overlapping_memberships': {
    severity: 'error',
    message: 'Обучающийся одновременно состоит в двух классах',
    hint: 'Проверьте даты приказов о переводе: дата выбытия из прежнего класса должна быть раньше даты зачисления в новый.',
  },
  'sanity.marks_in_first_grade': {
    severity: 'warning',
    message: 'Отметки в первом классе',
    hint: 'В 1 классе обучение безотметочное. Проверьте, не ошибка ли это выгрузки.',
  },
  'sanity.no_periods_for_grade': {
    severity: 'error',
    message: 'Для параллели не заданы отчётные периоды',
    hint: 'Задайте четверти (2–9 классы) или полугодия (10–11 классы) на учебный год.',
  },
} as const satisfies CatalogueSection;
