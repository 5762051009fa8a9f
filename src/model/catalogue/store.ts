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
  'store.unavailable': {
    severity: 'error',
    message: 'База данных недоступна',
    hint: 'Проверьте DATABASE_URL и что сервер PostgreSQL запущен; для встроенной базы — права на каталог EJSYNC_HOME.',
    retryable: true,
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
} as const satisfies CatalogueSection;
