import type { CatalogueSection } from './entry';

/** ЕСИА (Госуслуги) sign-in. Codes mirror ЕСИА's own `ESIA-0070xx` where there is one. */
export const esiaCodes = {
  'esia.missing_parameter': {
    severity: 'error',
    message: 'ЕСИА: в запросе нет обязательного параметра (ESIA-007014)',
    hint: 'Проверьте настройки ejsync для ЕСИА (мнемоника, redirect_uri, хэш сертификата) и повторите вход.',
  },
  'esia.client_secret_wrong': {
    severity: 'error',
    message: 'ЕСИА отклонила подпись запроса (ESIA-007053)',
    hint: 'Подпись не соответствует сертификату информационной системы: проверьте ключ, сертификат, зарегистрированный в ЕСИА, и хэш сертификата (`ejsync esia check`).',
  },
  'esia.invalid_grant': {
    severity: 'error',
    message: 'ЕСИА: код авторизации недействителен, просрочен или уже использован (ESIA-007011)',
    hint: 'Начните вход заново: код авторизации одноразовый и действует недолго.',
  },
  'esia.clock_skew': {
    severity: 'error',
    message: 'ЕСИА: неверное время запроса (ESIA-007015)',
    hint: 'Часы сервера ejsync расходятся с точным временем. Включите синхронизацию времени (NTP) и повторите вход.',
  },
  'esia.unconfirmed_account': {
    severity: 'error',
    message: 'ЕСИА: вход с неподтверждённой учётной записью (ESIA-007055)',
    hint: 'Подтвердите учётную запись на Госуслугах (в МФЦ или онлайн) и повторите вход.',
  },
  'esia.unauthorized_client': {
    severity: 'error',
    message: 'ЕСИА: информационная система не допущена к этому способу входа (ESIA-007005)',
    hint: 'Проверьте мнемонику, разрешённые redirect_uri и сертификат в кабинете технического портала ЕСИА.',
  },
  'esia.access_denied': {
    severity: 'warning',
    message: 'Вход через ЕСИА отменён пользователем (ESIA-007004)',
    hint: 'Повторите вход и подтвердите доступ на странице Госуслуг.',
  },
  'esia.redirect_uri_not_allowed': {
    severity: 'error',
    message: 'ЕСИА: адрес возврата не разрешён для системы (ESIA-007023)',
    hint: 'Добавьте адрес возврата ejsync в настройки системы на техническом портале ЕСИА или исправьте esia.redirectUri.',
  },
  'esia.error': {
    severity: 'error',
    message: 'ЕСИА вернула ошибку',
    hint: 'Повторите вход позже. Если ошибка повторяется, передайте код ошибки ЕСИА администратору.',
    retryable: true,
  },
  'esia.state_mismatch': {
    severity: 'error',
    message: 'Ответ ЕСИА не относится к этому входу (несовпадение state)',
    hint: 'Начните вход заново из этого же браузера. Если повторяется — возможна попытка подмены ответа.',
  },
  'esia.token_invalid': {
    severity: 'error',
    message: 'Маркер ЕСИА не прошёл проверку',
    hint: 'Проверьте сертификат ЕСИА для проверки подписи маркеров (esia.verification): ЕСИА меняет его примерно раз в год.',
  },
  'esia.unreachable': {
    severity: 'error',
    message: 'ЕСИА недоступна',
    hint: 'Проверьте сетевое соединение с ЕСИА и повторите попытку позже.',
    retryable: true,
  },
  'esia.signer_failed': {
    severity: 'error',
    message: 'Не удалось подписать запрос к ЕСИА',
    hint: 'Проверьте настройки средства подписи (esia.signer): путь к ключу, доступность OpenSSL с движком gost, КриптоПро или сервиса подписи.',
  },
  'esia.config_invalid': {
    severity: 'error',
    message: 'Настройки ЕСИА неверны',
    hint: 'Исправьте указанное поле в разделе esia файла настроек; `ejsync esia check` проверит настройки без обращения к ЕСИА.',
  },
  'esia.verification_key_unreadable': {
    severity: 'warning',
    message: 'Ключ проверки маркеров ЕСИА не читается',
    hint: 'Файл из списка esia.verificationCertificateFiles не является сертификатом ЕСИА (PEM или DER) или открытым ключом (PEM, JWK). Остальные ключи списка используются. Скачайте сертификаты ЕСИА заново (архив esia.zip с портала ЕСИА) и замените файл.',
  },
  'esia.verification_key_unsupported': {
    severity: 'warning',
    message: 'Ключ проверки маркеров ЕСИА неподходящего алгоритма',
    hint: 'ЕСИА подписывает маркеры ключом RSA (RS256) или ГОСТ Р 34.10-2012 (256 бит). Укажите сертификат ЕСИА из архива esia.zip; остальные ключи списка используются.',
  },
  'esia.verification_key_expired': {
    severity: 'warning',
    message: 'Срок действия сертификата ЕСИА для проверки маркеров истёк',
    hint: 'ЕСИА меняет сертификаты примерно раз в год. Скачайте новый сертификат (архив esia.zip с портала ЕСИА) и добавьте его в esia.verificationCertificateFiles рядом со старым.',
  },
  'esia.verification_keys_missing': {
    severity: 'error',
    message: 'Нет ни одного пригодного ключа проверки маркеров ЕСИА',
    hint: 'Вход через ЕСИА невозможен, пока не указан хотя бы один читаемый сертификат ЕСИА в esia.verificationCertificateFiles. `ejsync esia check` покажет, что не так с каждым файлом.',
  },
  'esia.verification_key_mismatch': {
    severity: 'error',
    message: 'Маркер ЕСИА подписан алгоритмом, для которого не указан ключ проверки',
    hint: 'ЕСИА подписывает маркеры так, как выбрано в настройках системы на техническом портале (ГОСТ Р 34.10-2012 или RS256). Добавьте в esia.verificationCertificateFiles сертификат ЕСИА этого алгоритма из архива esia.zip.',
  },
  'esia.token_signature_invalid': {
    severity: 'error',
    message: 'Подпись маркера ЕСИА не подходит ни к одному ключу проверки',
    hint: 'Указан не тот сертификат ЕСИА: тестовый вместо промышленного (или наоборот) или устаревший после смены сертификата ЕСИА. Скачайте действующие сертификаты (архив esia.zip) и добавьте их в esia.verificationCertificateFiles.',
  },
  'esia.gost_unavailable': {
    severity: 'error',
    message: 'Не удалось проверить подпись ГОСТ: OpenSSL без движка gost',
    hint: 'Установите пакет libengine-gost-openssl (apt-get install libengine-gost-openssl) и проверьте настройки командой `ejsync esia check`.',
  },
} as const satisfies CatalogueSection;
