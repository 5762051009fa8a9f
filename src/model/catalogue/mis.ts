import type { CatalogueSection } from './entry';

/** ejsync's own МИС exchange format (docs/formats/mis-csv.md). */
export const misCodes = {
  'mis.missing_file': {
    severity: 'error',
    message: 'Нет обязательного файла выгрузки',
    hint: 'Добавьте файл в выгрузку; список обязательных файлов — в docs/formats/mis-csv.md.',
  },
  'mis.unknown_file': {
    severity: 'warning',
    message: 'Неизвестный файл в выгрузке пропущен',
    hint: 'Проверьте имя файла; допустимые имена перечислены в docs/formats/mis-csv.md.',
  },
  'mis.missing_column': {
    severity: 'error',
    message: 'В файле нет обязательного столбца',
    hint: 'Добавьте столбец в заголовок файла; имена столбцов — в docs/formats/mis-csv.md.',
  },
  'mis.unknown_column': {
    severity: 'warning',
    message: 'Неизвестный столбец пропущен',
    hint: 'Проверьте написание имени столбца; лишние столбцы не загружаются.',
  },
  'mis.malformed_row': {
    severity: 'error',
    message: 'Строка CSV повреждена (кавычки или число полей)',
    hint: 'Откройте файл и проверьте кавычки и разделители в этой строке.',
  },
  'mis.invalid_value': {
    severity: 'error',
    message: 'Недопустимое значение поля',
    hint: 'Исправьте значение в МИС и повторите выгрузку; формат поля описан в docs/formats/mis-csv.md.',
  },
  'mis.missing_value': {
    severity: 'error',
    message: 'Не заполнено обязательное поле',
    hint: 'Заполните поле в МИС и повторите выгрузку.',
  },
  'mis.duplicate_source_id': {
    severity: 'error',
    message: 'Повторяющийся идентификатор записи',
    hint: 'Идентификатор (id) должен быть уникален в пределах файла. Проверьте выгрузку на дубли.',
  },
  'mis.unknown_reference': {
    severity: 'error',
    message: 'Ссылка на несуществующую запись',
    hint: 'Запись ссылается на идентификатор, которого нет в выгрузке. Выгрузите связанную запись или исправьте ссылку.',
  },
  'mis.invalid_snils': {
    severity: 'error',
    message: 'Неверный СНИЛС',
    hint: 'Проверьте номер СНИЛС по документу: не сходится контрольная сумма или число цифр.',
  },
  'mis.unknown_mark_value': {
    severity: 'error',
    message: 'Неизвестное значение отметки',
    hint: 'Допустимы 1–5 (с «+» или «−», если школа их использует), «зач», «незач», «н/а», «осв». Проверьте настройку шкалы в МИС.',
  },
  'mis.unknown_attendance_code': {
    severity: 'error',
    message: 'Неизвестный код посещаемости',
    hint: 'Допустимы Н (без уважительной причины), П (по уважительной причине), Б (болезнь), ОП (опоздание).',
  },
  'mis.implausible_date': {
    severity: 'error',
    message: 'Неправдоподобная дата',
    hint: 'Дата не может быть верной (например, дата рождения ученика даёт возраст младше 3 или старше 25 лет на начало учебного года). Исправьте дату в МИС и повторите выгрузку.',
  },
  'mis.school_missing': {
    severity: 'error',
    message: 'Не указаны сведения о школе',
    hint: 'Файл school.csv должен содержать ровно одну строку: идентификатор, название и часовой пояс школы.',
  },
} as const satisfies CatalogueSection;
