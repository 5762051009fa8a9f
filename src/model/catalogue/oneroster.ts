import type { CatalogueSection } from './entry';

/** 1EdTech OneRoster 1.2 CSV binding. */
export const onerosterCodes = {
  'oneroster.missing_manifest': {
    severity: 'error',
    message: 'В пакете OneRoster нет manifest.csv',
    hint: 'Пакет OneRoster 1.2 должен содержать manifest.csv с версией и списком файлов.',
  },
  'oneroster.unsupported_version': {
    severity: 'error',
    message: 'Неподдерживаемая версия OneRoster',
    hint: 'Поддерживается OneRoster 1.2 (oneroster.version = 1.2 в manifest.csv).',
  },
  'oneroster.missing_file': {
    severity: 'error',
    message: 'Файл, объявленный в manifest.csv, отсутствует',
    hint: 'Добавьте файл в пакет или укажите для него «absent» в manifest.csv.',
  },
  'oneroster.missing_column': {
    severity: 'error',
    message: 'В файле нет обязательного столбца OneRoster',
    hint: 'Проверьте заголовок файла по спецификации OneRoster 1.2 CSV.',
  },
  'oneroster.invalid_value': {
    severity: 'error',
    message: 'Недопустимое значение поля OneRoster',
    hint: 'Исправьте значение по спецификации OneRoster 1.2 (формат дат, перечисления, GUID).',
  },
  'oneroster.missing_value': {
    severity: 'error',
    message: 'Не заполнено обязательное поле OneRoster',
    hint: 'Заполните поле: в OneRoster 1.2 оно обязательно.',
  },
  'oneroster.duplicate_sourced_id': {
    severity: 'error',
    message: 'Повторяющийся sourcedId',
    hint: 'sourcedId должен быть уникален в пределах файла.',
  },
  'oneroster.unknown_reference': {
    severity: 'error',
    message: 'Ссылка на несуществующий sourcedId',
    hint: 'Запись ссылается на объект, которого нет в пакете. Добавьте его или исправьте ссылку.',
  },
  'oneroster.status_in_bulk': {
    severity: 'error',
    message: 'В полной (bulk) выгрузке заполнены status или dateLastModified',
    hint: 'В bulk-файлах OneRoster 1.2 поля status и dateLastModified должны быть пустыми; они используются только в delta-файлах.',
  },
  'oneroster.delta_missing_status': {
    severity: 'error',
    message: 'В дельта-выгрузке не заполнены status и dateLastModified',
    hint: 'В delta-файлах OneRoster 1.2 каждая строка должна иметь status (active или tobedeleted) и dateLastModified.',
  },
  'oneroster.not_expressible': {
    severity: 'warning',
    message: 'Данные OneRoster не имеют соответствия в модели школы',
    hint: 'Эти сведения не будут перенесены; при необходимости внесите их в журнал вручную.',
  },
  'oneroster.unsupported_role': {
    severity: 'warning',
    message: 'Роль пользователя не переносится',
    hint: 'Переносятся ученики, учителя, администраторы и законные представители; прочие роли пропускаются.',
  },
  'oneroster.malformed_row': {
    severity: 'error',
    message: 'Строка CSV пакета OneRoster повреждена (кавычки или число полей)',
    hint: 'Откройте файл и проверьте кавычки и запятые в этой строке; списки значений внутри поля заключаются в двойные кавычки.',
  },
  'oneroster.school_missing': {
    severity: 'error',
    message: 'В orgs.csv нет организации с типом school',
    hint: 'Пакет должен описывать школу: добавьте в orgs.csv строку с type = school.',
  },
  'oneroster.ambiguous_school': {
    severity: 'error',
    message: 'В пакете OneRoster несколько школ',
    hint: 'Укажите в настройках связи sourcedId нужной школы (schoolSourcedId) или выгрузите пакет одной школы.',
  },
  'oneroster.rejected_reference': {
    severity: 'error',
    message: 'Запись пропущена: она ссылается на запись, отклонённую из-за ошибок',
    hint: 'Исправьте сначала ошибки в записи, на которую ссылается эта строка; затем строка загрузится сама.',
  },
  'oneroster.ignored_file': {
    severity: 'warning',
    message: 'Файл пакета OneRoster не читается',
    hint: 'Файл не объявлен в manifest.csv (или объявлен как absent) либо не относится к OneRoster 1.2. Проверьте manifest.csv и имя файла.',
  },
} as const satisfies CatalogueSection;
