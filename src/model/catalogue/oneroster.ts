import type { CatalogueSection } from './entry';

/** 1EdTech OneRoster CSV binding (versions 1.1 and 1.2). */
export const onerosterCodes = {
  'oneroster.missing_manifest': {
    severity: 'error',
    message: 'В пакете OneRoster нет manifest.csv',
    hint: 'Пакет OneRoster (1.1 или 1.2) должен содержать manifest.csv с версией и списком файлов.',
  },
  'oneroster.unsupported_version': {
    severity: 'error',
    message: 'Неподдерживаемая версия OneRoster',
    hint: 'Поддерживаются OneRoster 1.1 и 1.2 (oneroster.version = 1.1 или 1.2 в manifest.csv).',
  },
  'oneroster.missing_file': {
    severity: 'error',
    message: 'Файл, объявленный в manifest.csv, отсутствует',
    hint: 'Добавьте файл в пакет или укажите для него «absent» в manifest.csv.',
  },
  'oneroster.missing_column': {
    severity: 'error',
    message: 'В файле нет обязательного столбца OneRoster',
    hint: 'Проверьте заголовок файла по спецификации OneRoster CSV той версии, что указана в manifest.csv.',
  },
  'oneroster.invalid_value': {
    severity: 'error',
    message: 'Недопустимое значение поля OneRoster',
    hint: 'Исправьте значение по спецификации OneRoster: даты ГГГГ-ММ-ДД, дата и время ISO 8601 со смещением (2026-09-01T08:00:00Z), значения перечислений как в спецификации.',
  },
  'oneroster.missing_value': {
    severity: 'error',
    message: 'Не заполнено обязательное поле OneRoster',
    hint: 'Заполните поле: в OneRoster оно обязательно.',
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
    hint: 'В bulk-файлах OneRoster поля status и dateLastModified должны быть пустыми; они используются только в delta-файлах.',
  },
  'oneroster.delta_missing_status': {
    severity: 'error',
    message: 'В дельта-выгрузке не заполнены status и dateLastModified',
    hint: 'В delta-файлах OneRoster каждая строка должна иметь status (active или tobedeleted) и dateLastModified.',
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
    hint: 'Пакет должен описывать школу: добавьте в orgs.csv строку с type = school. Для дельта-выгрузки без orgs.csv укажите школу: ejsync validate --school <sourcedId> (в связи — school.sourceId).',
  },
  'oneroster.ambiguous_school': {
    severity: 'error',
    message: 'В пакете OneRoster несколько школ',
    hint: 'Укажите sourcedId нужной школы: ejsync validate --school <sourcedId>, в связи — school.sourceId; или выгрузите пакет одной школы.',
  },
  'oneroster.rejected_reference': {
    severity: 'error',
    message: 'Запись пропущена: она ссылается на запись, отклонённую из-за ошибок',
    hint: 'Исправьте сначала ошибки в записи, на которую ссылается эта строка; затем строка загрузится сама.',
  },
  'oneroster.ignored_file': {
    severity: 'warning',
    message: 'Файл пакета OneRoster не читается',
    hint: 'Файл не объявлен в manifest.csv (или объявлен как absent) либо не относится к версии OneRoster, указанной в manifest.csv. Проверьте manifest.csv и имя файла.',
  },
  'oneroster.birth_date_missing': {
    severity: 'warning',
    message: 'У учеников нет даты рождения (demographics.csv)',
    hint: 'Без даты рождения ученик сопоставляется с журналом только по СНИЛС или oid ЕСИА; совпадение по ФИО и дате рождения невозможно, и найденные только по ФИО записи ждут подтверждения человеком. Дата рождения на платформе не меняется. Чтобы сопоставление шло само, выгрузите demographics.csv с birthDate.',
  },
  'oneroster.inferred_homeroom': {
    severity: 'warning',
    message: 'Класс выведен из названий занятий: в пакете нет класса (homeroom)',
    hint: 'В пакете есть только занятия (scheduled); класс собран по их названиям и параллели, в него включены ученики этих занятий. Проверьте состав класса в отчёте; лучше выгрузить из МИС и сами классы (classType = homeroom).',
  },
  'oneroster.unknown_column': {
    severity: 'error',
    message: 'Столбец не входит в OneRoster (опечатка или чужое имя)',
    hint: 'Исправьте имя столбца по спецификации OneRoster той версии, что указана в manifest.csv; собственные поля допускаются только с префиксом «metadata.». Столбец не читается.',
  },
  'oneroster.unknown_manifest_property': {
    severity: 'error',
    message: 'Неизвестное свойство в manifest.csv',
    hint: 'В manifest.csv допустимы manifest.version, oneroster.version, source.systemName, source.systemCode и file.<файл> для файлов этой версии OneRoster. Исправьте опечатку или удалите строку.',
  },
  'oneroster.not_oneroster': {
    severity: 'error',
    message: 'Набор CSV-файлов не является пакетом OneRoster',
    hint: 'Файлы называются как в OneRoster, но их столбцы другие (например, это формат Microsoft School Data Sync). Выгрузите из МИС пакет OneRoster 1.1 или 1.2 с manifest.csv либо выгрузку МИС в формате ejsync (docs/formats).',
  },
  'oneroster.section_class_inferred': {
    severity: 'warning',
    message: 'Класс занятия выведен по его ученикам: в названии класса нет',
    hint: 'Занятие (scheduled) не называет класс, и у его учеников нет одного общего класса; оно перенесено подгруппой класса, где больше всего его учеников. Проверьте в отчёте; лучше назвать класс в title или classCode занятия («5А Математика»).',
  },
  'oneroster.target_unwritable': {
    severity: 'error',
    message: 'Не удалось записать пакет OneRoster в папку выгрузки',
    hint: 'Проверьте, что папка выгрузки (target.exchangeDir связи) существует, доступна на запись и на диске есть место. Доставка будет повторена автоматически.',
    retryable: true,
  },
  'oneroster.upload_failed': {
    severity: 'error',
    message: 'Платформа не приняла пакет OneRoster по HTTP',
    hint: 'Проверьте адрес приёма (target.baseUrl связи) и сеть; код ответа — в журнале доставки. Доставка будет повторена автоматически.',
    retryable: true,
  },
  'oneroster.not_carried': {
    severity: 'error',
    message: 'OneRoster не переносит такие записи',
    hint: 'В OneRoster нет места для уроков, посещаемости, расписания, звонков и каникул; их нужно вести на платформе-получателе иначе. Изменение не отправлено.',
  },
} as const satisfies CatalogueSection;
