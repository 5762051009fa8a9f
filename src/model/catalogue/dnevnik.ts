import type { CatalogueSection } from './entry';

/** Дневник.ру REST v2: how its answers are classified (docs: shared/research/dnevnik-api.md §6). */
export const dnevnikCodes = {
  'dnevnik.rate_limited': {
    severity: 'warning',
    message: 'Дневник.ру ограничил частоту запросов',
    hint: 'Обычно ничего делать не нужно: ejsync подождёт, сколько попросила платформа, и продолжит. Если платформа отказывает раз за разом (после retry.rateLimitedAttempts отказов доставка останавливается), повторите позже: `ejsync retry ЗАПУСК --code dnevnik.rate_limited`. Если повторяется каждую ночь — уменьшите rateLimit в config/platforms/dnevnik.json.',
    retryable: true,
  },
  'dnevnik.token_missing': {
    severity: 'error',
    message: 'Нет доступа к Дневник.ру: школа ещё не подключена',
    hint: 'Администратор школы выполняет `ejsync dnevnik connect --link ФАЙЛ` и входит в Дневник.ру под своей учётной записью.',
  },
  'dnevnik.reconnect_needed': {
    severity: 'error',
    message: 'Доступ к Дневник.ру истёк или отозван — нужно переподключение',
    hint: 'Администратор школы заново выполняет `ejsync dnevnik connect --link ФАЙЛ`. До этого синхронизация школы приостановлена.',
  },
  'dnevnik.out_of_scope': {
    severity: 'error',
    message: 'У выданного доступа недостаточно прав (authorizationOutOfScope)',
    hint: 'Переподключите школу: при входе разрешите доступ к учебной информации (EducationalInfo). Список прав — scopes в config/platforms/dnevnik.json.',
  },
  'dnevnik.forbidden': {
    severity: 'error',
    message: 'Дневник.ру запретил это действие учётной записи',
    hint: 'Запись меняет только учитель урока или администратор школы. Подключите школу под учётной записью администратора журнала.',
  },
  'dnevnik.parameter_invalid': {
    severity: 'error',
    message: 'Дневник.ру отклонил данные запроса (parameterInvalid)',
    hint: 'Проверьте запись в МИС (даты, значения) и настройки соответствий в config/platforms/dnevnik.json; подробности — в журнале доставки.',
  },
  'dnevnik.not_found': {
    severity: 'error',
    message: 'Запись не найдена в Дневник.ру',
    hint: 'Запись удалили в Дневник.ру вручную. Запустите синхронизацию заново: ejsync прочитает текущее состояние журнала.',
  },
  'dnevnik.https_required': {
    severity: 'error',
    message: 'Дневник.ру принимает запросы только по HTTPS (apiHttpsRequired)',
    hint: 'В config/platforms/dnevnik.json адрес API установки (apiBase) должен начинаться с https://. Исправьте адрес и повторите запуск.',
  },
  'dnevnik.method_not_supported': {
    severity: 'error',
    message: 'Дневник.ру не поддерживает этот запрос в данной установке',
    hint: 'Отключите эту операцию в матрице возможностей (capabilities в config/platforms/dnevnik.json) и сообщите разработчикам ejsync.',
  },
  'dnevnik.server_error': {
    severity: 'error',
    message: 'Ошибка на стороне Дневник.ру',
    hint: 'Ничего делать не нужно: доставка будет повторена автоматически. Если ошибка держится часами — обратитесь в поддержку Дневник.ру.',
    retryable: true,
  },
  'dnevnik.maintenance': {
    severity: 'error',
    message: 'Дневник.ру недоступен (технические работы)',
    hint: 'Ничего делать не нужно: доставка будет повторена, когда платформа заработает.',
    retryable: true,
  },
  'dnevnik.timeout': {
    severity: 'error',
    message: 'Дневник.ру не ответил вовремя',
    hint: 'Доставка будет повторена. ejsync перед повтором проверяет, не дошла ли запись, поэтому дублей не будет.',
    retryable: true,
  },
  'dnevnik.connection_failed': {
    severity: 'error',
    message: 'Не удалось соединиться с Дневник.ру',
    hint: 'Проверьте доступ сервера ejsync в интернет и адрес API установки (apiBase). Доставка будет повторена.',
    retryable: true,
  },
  'dnevnik.unexpected_response': {
    severity: 'error',
    message: 'Дневник.ру вернул ответ в неожиданном формате',
    hint: 'Сохраните номер запуска и сообщите разработчикам ejsync: платформа могла изменить API.',
  },
  'dnevnik.unexpected_shape': {
    severity: 'error',
    message: 'Дневник.ру ответил в виде, которого ejsync не понимает',
    hint: 'По этому ответу ничего не записано и ничего не удалено. В сообщении указаны запрос и поле, которое пришло иначе. Сохраните номер запуска и сообщите разработчикам ejsync: установка вашего региона может отвечать по-своему или платформа изменила API. Что проверено по открытым источникам, а что предположено — docs/platforms/dnevnik.md.',
  },
  'dnevnik.lesson_missing': {
    severity: 'error',
    message: 'Для работы нет урока в Дневник.ру',
    hint: 'В Дневник.ру работы и отметки ставятся только на уроки. Проверьте, что расписание в журнале сформировано на эту дату.',
  },
  'dnevnik.mark_not_in_system': {
    severity: 'error',
    message: 'Отметку нельзя выставить: такого значения нет в системе оценок школы в Дневник.ру',
    hint: 'Эта отметка не отправлялась. Система оценок школы (пятибалльная, десятибалльная и т. п.) задаётся в Дневник.ру в настройках школы. Если в МИС отметки по другой шкале, задайте перевод в config/platforms/dnevnik.json (markSystemValues) по положению школы о текущем контроле или исправьте отметку в МИС — она будет выставлена при следующем запуске.',
  },
  'dnevnik.mark_system_unknown': {
    severity: 'error',
    message: 'Не удалось определить систему оценок школы в Дневник.ру',
    hint: 'Пока система не известна, отметки не отправляются. Проверьте в Дневник.ру, какая система оценок выбрана для школы, и сообщите разработчикам ejsync текст замечания; если в профиле школы система не указана, ejsync берёт defaultMarkType из config/platforms/dnevnik.json.',
  },
  'dnevnik.birth_date_unknown': {
    severity: 'warning',
    message: 'Дату рождения части обучающихся из Дневник.ру прочитать нельзя',
    hint: 'Дневник.ру хранит дату рождения в учётной записи пользователя; у обучающегося без учётной записи (или если платформа её не отдала) дата не читается. Такие даты не сравниваются с МИС и не становятся ручными действиями; при сомнениях сверьте их в Дневник.ру вручную.',
  },
  'dnevnik.value_unmapped': {
    severity: 'error',
    message: 'Значение не сопоставлено значению Дневник.ру',
    hint: 'Добавьте соответствие в config/platforms/dnevnik.json (markValues, attendanceStatuses или workTypes).',
  },
} as const satisfies CatalogueSection;
