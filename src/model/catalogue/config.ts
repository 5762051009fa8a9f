import type { CatalogueSection } from './entry';

/** Configuration and start-up. */
export const configCodes = {
  'config.invalid': {
    severity: 'error',
    message: 'Ошибка в настройках',
    hint: 'Исправьте указанное поле в файле настроек; допустимые значения описаны в config/README.md.',
  },
  'config.not_found': {
    severity: 'error',
    message: 'Файл настроек не найден',
    hint: 'Проверьте путь к файлу; примеры лежат в каталоге config/.',
  },
  'config.secret_missing': {
    severity: 'error',
    message: 'Не задан секрет в переменных окружения',
    hint: 'Задайте переменную окружения, указанную в сообщении (например, EJSYNC_SECRET_KEY).',
  },
} as const satisfies CatalogueSection;
