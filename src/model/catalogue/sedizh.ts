import type { CatalogueSection } from './entry';

/**
 * СЭДиЖ / ЭПОС through XML exchange packages (docs/platforms/sedizh.md, docs/formats/sedizh-xml.md):
 * what the mapping cannot express, what the platform's receipts say, and transport failures.
 */
export const sedizhCodes = {
  'sedizh.entity_unmapped': {
    severity: 'error',
    message: 'Настройка соответствий СЭДиЖ не описывает этот вид записей',
    hint: 'Добавьте раздел для этого вида записей в mapping.entities файла config/platforms/sedizh.json (по схеме обмена вашей платформы) или отключите его в capabilities — тогда запись станет ручным действием.',
  },
  'sedizh.value_unmapped': {
    severity: 'error',
    message: 'Значение не предусмотрено таблицей соответствий СЭДиЖ',
    hint: 'Добавьте значение в mapping.valueMaps файла config/platforms/sedizh.json (например, код отметки или посещаемости, как его принимает платформа) и повторите запуск.',
  },
  'sedizh.record_invalid': {
    severity: 'error',
    message: 'Запись пакета СЭДиЖ не соответствует модели ejsync',
    hint: 'Запись пропущена при чтении состояния платформы. Проверьте соответствия полей (mapping.entities) и формат дат (mapping.dateFormat) в config/platforms/sedizh.json; подробности — в описании находки.',
  },
  'sedizh.package_malformed': {
    severity: 'error',
    message: 'Пакет СЭДиЖ не читается как XML установленной схемы',
    hint: 'Проверьте, что платформа выгружает пакет в формате, описанном в config/platforms/sedizh.json (корневой элемент, пространство имён, кодировка). Если схема платформы изменилась — обновите соответствия.',
  },
  'sedizh.package_rejected': {
    severity: 'error',
    message: 'Платформа отклонила пакет целиком',
    hint: 'Причина — в квитанции (журнал доставки). Исправьте данные или соответствия в config/platforms/sedizh.json и повторите: `ejsync retry ЗАПУСК --code sedizh.package_rejected`.',
  },
  'sedizh.package_corrupted': {
    severity: 'warning',
    message: 'Пакет повреждён при передаче (контрольная сумма не совпала)',
    hint: 'Ничего делать не нужно: пакет будет отправлен заново. Если повторяется — проверьте канал обмена (каталог или прокси).',
    retryable: true,
  },
  'sedizh.receipt_malformed': {
    severity: 'warning',
    message: 'Квитанция платформы не читается',
    hint: 'Доставка будет повторена; перед повтором ejsync проверит, не принята ли запись уже. Если повторяется — сообщите оператору платформы: квитанции должны соответствовать описанию в docs/formats/sedizh-xml.md.',
    retryable: true,
  },
  'sedizh.receipt_timeout': {
    severity: 'warning',
    message: 'Квитанция о приёме пакета не пришла вовремя',
    hint: 'Пакет уже отправлен повторно один раз. Доставка будет повторена позже; платформа не применяет пакет дважды (тот же номер пакета). Если повторяется — проверьте, работает ли обработка пакетов на платформе.',
    retryable: true,
  },
  'sedizh.record_rejected': {
    severity: 'error',
    message: 'Платформа отклонила запись',
    hint: 'Причина — в журнале доставки (код и текст из квитанции). Исправьте запись в МИС и запустите синхронизацию снова.',
  },
  'sedizh.reference_unknown': {
    severity: 'error',
    message: 'Запись ссылается на объект, которого платформа не знает',
    hint: 'Связанная запись (ученик, класс, урок) ещё не передана или отклонена. Сначала устраните ошибки связанных записей, затем повторите запуск.',
  },
  'sedizh.value_invalid': {
    severity: 'error',
    message: 'Платформа не приняла значение поля',
    hint: 'Проверьте значение в МИС и таблицу соответствий (mapping.valueMaps) в config/platforms/sedizh.json.',
  },
  'sedizh.not_found': {
    severity: 'error',
    message: 'Записи нет на платформе',
    hint: 'Запись удалили на платформе вручную. Запустите синхронизацию заново: ejsync прочитает текущее состояние.',
  },
  'sedizh.period_closed': {
    severity: 'error',
    message: 'Платформа не принимает изменения в закрытом периоде',
    hint: 'Период закрыт на платформе. Изменение вносит администратор платформы вручную или после открытия периода по приказу.',
  },
  'sedizh.server_error': {
    severity: 'error',
    message: 'Ошибка на стороне платформы СЭДиЖ',
    hint: 'Ничего делать не нужно: доставка будет повторена автоматически. Если ошибка держится часами — обратитесь в поддержку платформы.',
    retryable: true,
  },
  'sedizh.unreachable': {
    severity: 'error',
    message: 'Платформа СЭДиЖ недоступна',
    hint: 'Проверьте адрес обмена (transport в config/platforms/sedizh.json) и сеть. Доставка будет повторена автоматически.',
    retryable: true,
  },
  'sedizh.http_error': {
    severity: 'error',
    message: 'Платформа СЭДиЖ отказала в запросе',
    hint: 'Проверьте адрес и учётные данные обмена в config/platforms/sedizh.json; код ответа — в журнале доставки.',
  },
  'sedizh.exchange_dir_unavailable': {
    severity: 'error',
    message: 'Каталог обмена с СЭДиЖ недоступен',
    hint: 'Проверьте путь transport.dir в config/platforms/sedizh.json (или target.exchangeDir связи): каталог должен существовать и быть доступен на запись.',
  },
  'sedizh.pending_effect': {
    severity: 'warning',
    message: 'Принято платформой, вступит в силу позже',
    hint: 'Ничего делать не нужно: изменения, принятые после часа отсечки (в ЭПОС — 14:00), вступают в силу на следующий день. ejsync не отправляет их повторно.',
  },
} as const satisfies CatalogueSection;
