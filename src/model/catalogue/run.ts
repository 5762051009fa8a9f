import type { CatalogueSection } from './entry';

/** Planning, guards and runs. */
export const runCodes = {
  'period.closed': {
    severity: 'error',
    message: 'Изменение в закрытом периоде задержано',
    hint: 'Период закрыт. Если изменение правомерно, откройте период приказом и повторите запуск; иначе исправьте данные в МИС.',
  },
  'reconcile.ambiguous_match': {
    severity: 'error',
    message: 'Неоднозначное сопоставление записи',
    hint: 'Найдено несколько подходящих записей на платформе. Укажите соответствие вручную или уточните СНИЛС.',
  },
  'reconcile.unmatched_target': {
    severity: 'warning',
    message: 'Запись есть только на платформе',
    hint: 'Запись не найдена в МИС. ejsync её не удаляет: проверьте, нужна ли она в журнале.',
  },
  'reconcile.missing_dependency': {
    severity: 'error',
    message: 'Нельзя передать запись: на платформе нет связанной записи',
    hint: 'Сначала создайте на платформе связанную запись (класс, ученика, урок) и повторите запуск.',
  },
  'guard.threshold_archive': {
    severity: 'error',
    message: 'Запуск задержан: слишком много записей к архивации',
    hint: 'Проверьте, не неполная ли выгрузка из МИС. Если всё верно, одобрите запуск.',
  },
  'guard.threshold_update': {
    severity: 'error',
    message: 'Запуск задержан: слишком много записей к изменению',
    hint: 'Проверьте выгрузку и сопоставление. Если всё верно, одобрите запуск.',
  },
  'guard.additions_only': {
    severity: 'warning',
    message: 'Режим «только добавление»: архивация отложена',
    hint: 'Вокруг 1 сентября архивация записей задерживается до одобрения человеком.',
  },
  'guard.blackout': {
    severity: 'warning',
    message: 'Запуск в период запрета',
    hint: 'Для связи задан период, когда синхронизация не выполняется.',
  },
  'manual.action_required': {
    severity: 'warning',
    message: 'Требуется ручное действие в интерфейсе платформы',
    hint: 'API платформы не позволяет выполнить это изменение. Внесите данные вручную по инструкции в отчёте.',
  },
} as const satisfies CatalogueSection;
