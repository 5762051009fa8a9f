import type { CatalogueSection } from './entry';

/** A school's export handed to the installation (`ejsync upload`, `POST /api/links/{id}/exports`). */
export const intakeCodes = {
  'intake.too_large': {
    severity: 'error',
    message: 'Выгрузка больше допустимого размера',
    hint: 'Наибольший размер выгрузки задаёт параметр intake.maxBytes в config.json установки (по умолчанию 200 МиБ). Уберите из выгрузки лишние файлы или попросите оператора увеличить предел. Ничего не сохранено.',
  },
  'intake.unreadable': {
    severity: 'error',
    message: 'Выгрузка не принята: её не удалось прочитать',
    hint: 'Проверьте выгрузку командой «ejsync validate ПУТЬ» и загрузите исправленную: принимается ZIP-архив или папка с CSV-файлами МИС, JSON-документ МИС или пакет OneRoster. Ничего не сохранено.',
  },
  'intake.token_invalid': {
    severity: 'error',
    message: 'Нет или неверен ключ загрузки выгрузки',
    hint: 'Передайте ключ связи в заголовке «Authorization: Bearer КЛЮЧ». Новый ключ выдаёт оператор командой «ejsync upload token --link СВЯЗЬ» (прежний ключ при этом перестаёт действовать).',
  },
  'intake.source_path_unreadable': {
    severity: 'warning',
    message: 'Папка или файл выгрузки связи недоступны на этом узле',
    hint: 'Запуски этой связи завершатся ошибкой, пока выгрузка недоступна. Загрузите выгрузку в базу («ejsync upload --link СВЯЗЬ ПУТЬ» или POST /api/links/{id}/exports) либо сделайте путь source.path доступным для чтения на каждом узле с обработчиком (общая папка).',
  },
} as const satisfies CatalogueSection;
