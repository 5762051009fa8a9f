import { ATTENDANCE_CODES, type AttendanceStatus, type EntityCollection } from '../model';

/** Russian labels of canonical fields, as the platform's UI and the regulations call them. */
const FIELD_LABELS: Record<string, string> = {
  lastName: 'Фамилия',
  firstName: 'Имя',
  middleName: 'Отчество',
  birthDate: 'Дата рождения',
  sex: 'Пол',
  snils: 'СНИЛС',
  esiaOid: 'Идентификатор ЕСИА (oid)',
  email: 'Электронная почта',
  phone: 'Телефон',
  position: 'Должность',
  name: 'Название',
  shortName: 'Краткое название',
  fgosCode: 'Код предмета по ФГОС',
  academicYearId: 'Учебный год',
  kind: 'Вид',
  number: 'Номер',
  startDate: 'Дата начала',
  endDate: 'Дата окончания',
  grades: 'Параллели',
  closed: 'Период закрыт',
  closedAt: 'Дата закрытия',
  grade: 'Параллель',
  letter: 'Буква класса',
  homeroomTeacherId: 'Классный руководитель',
  profile: 'Профиль обучения',
  classId: 'Класс',
  subjectId: 'Предмет',
  teacherId: 'Учитель',
  guardianId: 'Законный представитель',
  pupilId: 'Обучающийся',
  relation: 'Кем приходится',
  groupId: 'Класс или группа',
  reason: 'Основание',
  orderNumber: 'Номер приказа',
  orderDate: 'Дата приказа',
  lessonNumber: 'Номер урока',
  startTime: 'Начало',
  endTime: 'Окончание',
  shift: 'Смена',
  dayOfWeek: 'День недели',
  room: 'Кабинет',
  validFrom: 'Действует с',
  validTo: 'Действует по',
  date: 'Дата',
  topic: 'Тема урока',
  homework: 'Домашнее задание',
  substituteTeacherId: 'Замещающий учитель',
  lessonId: 'Урок',
  workType: 'Вид работы',
  weight: 'Вес отметки',
  title: 'Тема работы',
  description: 'Описание',
  dueDate: 'Срок выполнения',
  value: 'Отметка',
  workId: 'Работа',
  periodId: 'Отчётный период',
  comment: 'Комментарий',
  status: 'Посещаемость',
  minutesLate: 'Опоздание, минут',
};

const ENTITY_FIELD_LABELS: Partial<Record<EntityCollection, Record<string, string>>> = {
  periods: { kind: 'Вид периода', name: 'Название периода' },
  classes: { name: 'Класс', grade: 'Параллель' },
  subgroups: { name: 'Название группы' },
  subjects: { name: 'Название предмета' },
  marks: { kind: 'Вид отметки', date: 'Дата отметки' },
  lessons: { date: 'Дата урока' },
  works: { date: 'Дата работы' },
  academicYears: { name: 'Учебный год' },
  holidays: { name: 'Название каникул' },
  memberships: { startDate: 'Дата зачисления', endDate: 'Дата выбытия' },
};

/** Fields that are ejsync's own bookkeeping and are never shown to a person. */
export const HIDDEN_FIELDS: ReadonlySet<string> = new Set(['sourceId', 'groupKind', 'timetableSlotId']);

export function fieldLabel(entity: EntityCollection, field: string): string {
  return ENTITY_FIELD_LABELS[entity]?.[field] ?? FIELD_LABELS[field] ?? field;
}

const ENUM_VALUES: Record<string, Record<string, string>> = {
  sex: { male: 'мужской', female: 'женский' },
  relation: { mother: 'мать', father: 'отец', guardian: 'опекун', other: 'иное' },
  periodKind: { quarter: 'четверть', half_year: 'полугодие', trimester: 'триместр', year: 'год' },
  markKind: { current: 'текущая', quarter: 'за четверть', half_year: 'за полугодие', year: 'годовая', exam: 'экзаменационная', final: 'итоговая' },
  workType: {
    lesson_answer: 'ответ на уроке',
    homework: 'домашняя работа',
    control: 'контрольная работа',
    test: 'тест',
    dictation: 'диктант',
    essay: 'сочинение',
    lab: 'лабораторная работа',
    practical: 'практическая работа',
    project: 'проект',
  },
  reason: { enrolled: 'зачисление', transferred: 'перевод', promoted: 'перевод в следующий класс', left: 'выбытие', assigned: 'распределение в группу' },
  groupKind: { class: 'класс', subgroup: 'группа' },
};

const ATTENDANCE_NAMES: Record<AttendanceStatus, string> = {
  absent: 'отсутствовал без уважительной причины',
  excused: 'отсутствовал по уважительной причине',
  ill: 'болел',
  late: 'опоздал',
};

const WEEKDAYS = ['', 'понедельник', 'вторник', 'среда', 'четверг', 'пятница', 'суббота', 'воскресенье'];

/** `2026-09-01` → `01.09.2026`: how Russian forms write dates. */
export function russianDate(iso: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}.${m[2]}.${m[1]}` : iso;
}

export function workTypeName(value: string): string {
  return ENUM_VALUES.workType[value] ?? value;
}

export function attendanceName(value: string): string {
  const status = value as AttendanceStatus;
  return ATTENDANCE_CODES[status] ? `${ATTENDANCE_CODES[status]} (${ATTENDANCE_NAMES[status]})` : value;
}

export function weekdayName(day: number): string {
  return WEEKDAYS[day] ?? String(day);
}

/** A plain (non-reference) field value as a person would type it. */
export function formatPlainValue(entity: EntityCollection, field: string, value: unknown): string {
  if (typeof value === 'boolean') return value ? 'да' : 'нет';
  if (Array.isArray(value)) return value.map((v) => formatPlainValue(entity, field, v)).join(', ');
  if (typeof value === 'number') return field === 'dayOfWeek' ? weekdayName(value) : String(value);
  const v = String(value);
  if (/^\d{4}-\d{2}-\d{2}$/.test(v)) return russianDate(v);
  if (field === 'snils' && /^\d{11}$/.test(v)) return `${v.slice(0, 3)}-${v.slice(3, 6)}-${v.slice(6, 9)} ${v.slice(9)}`;
  if (field === 'status' && entity === 'attendance') return attendanceName(v);
  if (field === 'kind') return (entity === 'periods' ? ENUM_VALUES.periodKind : ENUM_VALUES.markKind)[v] ?? v;
  return ENUM_VALUES[field]?.[v] ?? v;
}
