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
} as const satisfies CatalogueSection;
