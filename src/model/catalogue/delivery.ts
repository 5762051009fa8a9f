import type { CatalogueSection } from './entry';

/** Runs and deliveries through the queue. */
export const deliveryCodes = {
  'delivery.failed': {
    severity: 'error',
    message: 'Часть изменений не доставлена на платформу',
    hint: 'Откройте запуск: у каждой недоставленной записи указан код и что делать. После исправления нажмите «Повторить».',
  },
  'delivery.source_unreadable': {
    severity: 'error',
    message: 'Запуск не выполнен: выгрузку МИС не удалось прочитать',
    hint: 'Проверьте выгрузку командой `ejsync validate` и повторите запуск.',
  },
  'delivery.target_unreadable': {
    severity: 'error',
    message: 'Запуск не выполнен: не удалось прочитать данные платформы',
    hint: 'Проверьте подключение к платформе и повторите запуск; подробности — в журнале доставки.',
    retryable: true,
  },
  'delivery.not_invertible': {
    severity: 'warning',
    message: 'Изменение нельзя откатить автоматически',
    hint: 'Для этого изменения нет сохранённого прежнего значения или платформа не позволяет его вернуть; верните данные вручную.',
  },
  'delivery.directory_not_refreshed': {
    severity: 'warning',
    message: 'Справочник сотрудников и законных представителей для входа через ЕСИА не обновлён',
    hint: 'Синхронизация продолжена. Проверьте, что EJSYNC_SECRET_KEY тот же, что при прошлых запусках; вход через ЕСИА будет сопоставлять людей по прежнему справочнику.',
  },
  'delivery.plan_failed': {
    severity: 'error',
    message: 'Запуск не выполнен: планирование завершилось ошибкой после всех попыток',
    hint: 'Причина — в коде ошибки запуска и журнале обработчика; устраните её и запустите синхронизацию снова.',
  },
} as const satisfies CatalogueSection;
