import type { CatalogueSection } from './entry';

/** The store: runs, secrets. */
export const storeCodes = {
  'store.invalid_transition': {
    severity: 'error',
    message: 'Недопустимое действие для запуска в его текущем состоянии',
    hint: 'Обновите страницу: запуск мог уже быть одобрен, отклонён или завершён другим пользователем.',
  },
  'store.not_found': {
    severity: 'error',
    message: 'Запись не найдена',
    hint: 'Проверьте идентификатор запуска или связи.',
  },
  'store.secret_tampered': {
    severity: 'error',
    message: 'Зашифрованный секрет повреждён или ключ шифрования другой',
    hint: 'Проверьте EJSYNC_SECRET_KEY (тот же ключ, что при сохранении) или подключите платформу заново.',
  },
  'store.secret_wrong_key': {
    severity: 'error',
    message: 'Секрет зашифрован другим ключом: EJSYNC_SECRET_KEY не тот, с которым его сохраняли',
    hint: 'Задайте в EJSYNC_SECRET_KEY ключ, с которым работала эта база (см. файл окружения службы; у демо-режима свой ключ в $EJSYNC_HOME/demo). Если ключ утрачен — подключите платформу заново (ejsync dnevnik connect), секрет будет сохранён под новым ключом.',
  },
  'store.home_empty': {
    severity: 'error',
    message: 'В каталоге данных ejsync ещё нет базы — показывать нечего',
    hint: 'Проверьте EJSYNC_HOME (каталог, где работали sync и worker) или задайте DATABASE_URL; новая база создаётся командами sync, worker, serve.',
  },
  'store.unavailable': {
    severity: 'error',
    message: 'База данных недоступна',
    hint: 'Проверьте DATABASE_URL и что сервер PostgreSQL запущен; для встроенной базы — права на каталог EJSYNC_HOME.',
    retryable: true,
  },
  'store.schema_not_applied': {
    severity: 'error',
    message: 'Соединения с базой работают не в схеме EJSYNC_DATABASE_SCHEMA',
    hint: 'При EJSYNC_DATABASE_SCHEMA_VIA=role задайте схему роли: ALTER ROLE <роль> SET search_path = <схема>; (и переподключите пул PgBouncer). За PgBouncer не используйте ignore_startup_parameters = options: схема тогда молча отбрасывается — выберите EJSYNC_DATABASE_SCHEMA_VIA=role (пулинг транзакций) или connect (пулинг сессий). См. docs/operations.md, раздел PgBouncer.',
  },
  'store.embedded_busy': {
    severity: 'error',
    message: 'Встроенная база ejsync (PGlite) уже открыта другим процессом',
    hint: 'Дождитесь завершения того процесса (обработчик, панель, другая команда). Чтобы работать несколькими процессами одновременно, используйте PostgreSQL: задайте DATABASE_URL.',
  },
  'store.embedded_damaged': {
    severity: 'error',
    message: 'Встроенная база ejsync (PGlite) не открывается — вероятно, повреждена',
    hint: 'Сохраните каталог EJSYNC_HOME/db для разбора и перенесите его в сторону: ejsync создаст новую базу (история запусков и токены будут потеряны — подключите платформу заново). Для постоянной работы используйте PostgreSQL (DATABASE_URL).',
  },
  'backup.destination_unwritable': {
    severity: 'error',
    message: 'Не удалось записать резервную копию',
    hint: 'Проверьте, что каталог назначения существует, подключён (внешний диск, сетевая папка) и доступен на запись пользователю, от имени которого работает ejsync, и что на нём достаточно места.',
  },
  'backup.unreadable': {
    severity: 'error',
    message: 'Файл не является резервной копией ejsync или не читается',
    hint: 'Укажите файл *.ejb, созданный командой ejsync backup. Если файл скопирован с носителя, проверьте, что копирование завершилось полностью.',
  },
  'backup.damaged': {
    severity: 'error',
    message: 'Резервная копия повреждена или изменена',
    hint: 'Контрольные суммы не сходятся: копия непригодна для восстановления. Используйте копию со второго носителя или более раннюю копию.',
  },
  'backup.wrong_key': {
    severity: 'error',
    message: 'Резервная копия зашифрована другим ключом',
    hint: 'Задайте EJSYNC_SECRET_KEY той установки, которая сделала копию (ключ хранится отдельно от копий, как требует регламент).',
  },
  'backup.store_not_empty': {
    severity: 'error',
    message: 'Восстановление возможно только в пустую базу',
    hint: 'Восстановите копию в новую базу (другой DATABASE_URL или EJSYNC_DATABASE_SCHEMA, новый EJSYNC_HOME) — существующие данные ejsync не перезаписывает.',
  },
  'backup.newer_schema': {
    severity: 'error',
    message: 'Копия сделана более новой версией ejsync',
    hint: 'Обновите ejsync до версии, которая сделала копию, и повторите восстановление.',
  },
  'store.backup_failed': {
    severity: 'error',
    message: 'Резервная копия хранилища ejsync по расписанию не создана или не прошла проверку',
    hint: 'Причина — в тексте оповещения и в журнале обработчика (код после «причина»). Проверьте, что каталоги backup.to подключены и доступны на запись на узле обработчика очереди maintenance, что задан EJSYNC_SECRET_KEY, и сделайте копию вручную: ejsync backup --to КАТАЛОГ.',
  },
  'archive.unreadable': {
    severity: 'error',
    message: 'Файл не является архивом учебного года ejsync',
    hint: 'Укажите ZIP-файл, созданный командой ejsync archive year (в нём есть manifest.json).',
  },
  'archive.damaged': {
    severity: 'error',
    message: 'Архив учебного года изменён или повреждён',
    hint: 'Контрольные суммы или подпись не сходятся: содержимое архива не совпадает с тем, что было сохранено. Используйте копию архива с другого носителя.',
  },
} as const satisfies CatalogueSection;
