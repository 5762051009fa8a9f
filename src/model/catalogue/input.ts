import type { CatalogueSection } from './entry';

/** Reading an input at all: paths, archives, encodings, formats. */
export const inputCodes = {
  'input.not_found': {
    severity: 'error',
    message: 'Путь не найден',
    hint: 'Проверьте путь к папке, ZIP-архиву или JSON-файлу выгрузки.',
  },
  'input.unknown_format': {
    severity: 'error',
    message: 'Не удалось определить формат выгрузки',
    hint: 'Ожидается папка или ZIP с CSV-файлами МИС (pupils.csv, classes.csv, …), JSON-документ МИС или пакет OneRoster 1.2 (manifest.csv, users.csv, …).',
  },
  'input.empty': {
    severity: 'error',
    message: 'Выгрузка пуста',
    hint: 'В папке или архиве нет ни одного файла с данными. Повторите выгрузку из МИС.',
  },
  'input.binary_file': {
    severity: 'error',
    message: 'Файл не является текстовым (похоже на двоичные данные)',
    hint: 'Проверьте, что выгружен CSV-файл, а не документ Excel, изображение или архив под именем .csv.',
  },
  'input.broken_zip': {
    severity: 'error',
    message: 'ZIP-архив повреждён или не читается',
    hint: 'Создайте архив заново или распакуйте его и укажите папку.',
  },
  'input.encoding_unknown': {
    severity: 'error',
    message: 'Не удалось определить кодировку файла',
    hint: 'Сохраните файл в кодировке UTF-8 или Windows-1251 (в Excel: «CSV UTF-8» или «CSV (разделители — запятые)»).',
  },
  'input.too_large': {
    severity: 'error',
    message: 'Файл слишком большой',
    hint: 'Разбейте выгрузку или проверьте, что файл не содержит лишних данных.',
  },
  'input.invalid_json': {
    severity: 'error',
    message: 'JSON-документ не читается',
    hint: 'Проверьте синтаксис JSON (кавычки, запятые, скобки) и кодировку UTF-8.',
  },
} as const satisfies CatalogueSection;
