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
} as const satisfies CatalogueSection;
