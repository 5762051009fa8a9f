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
  'input.encoding_unsupported': {
    severity: 'error',
    message: 'Кодировка файла не поддерживается',
    hint: 'Принимаются только UTF-8 и Windows-1251. Пересохраните файл в UTF-8 (в Excel: «CSV UTF-8») или настройте выгрузку МИС на одну из этих кодировок; файл не прочитан.',
  },
  'input.invalid_bytes': {
    severity: 'error',
    message: 'В файле UTF-8 есть байты, которые не читаются как UTF-8',
    hint: 'Обычно в файл попал текст в другой кодировке или файл повреждён. Файл прочитан не дальше этой строки: пересохраните его целиком в UTF-8 и повторите выгрузку.',
  },
  'input.nul_byte': {
    severity: 'error',
    message: 'В текстовом файле есть нулевой байт (NUL)',
    hint: 'Такой символ нельзя сохранить, и обычно он означает повреждённую выгрузку. Файл прочитан не дальше этой строки: повторите выгрузку из МИС или удалите символ.',
  },
  'input.line_too_long': {
    severity: 'error',
    message: 'Слишком длинная строка в файле',
    hint: 'Обычно это повреждённая выгрузка (нет переводов строк или незакрытая кавычка). Файл прочитан не дальше этой строки: проверьте выгрузку и повторите её.',
  },
  'input.too_many_columns': {
    severity: 'error',
    message: 'Слишком много столбцов в заголовке файла',
    hint: 'Файл не прочитан. Проверьте разделитель и первую строку: в ней должны быть только имена столбцов формата.',
  },
  'input.too_large': {
    severity: 'error',
    message: 'Файл слишком большой',
    hint: 'Файл не прочитан. Разбейте выгрузку или проверьте, что файл не содержит лишних данных.',
  },
  'input.zip_too_many_entries': {
    severity: 'error',
    message: 'В ZIP-архиве слишком много файлов',
    hint: 'Архив не прочитан. Положите в архив только файлы выгрузки или укажите папку с ними.',
  },
  'input.zip_too_large': {
    severity: 'error',
    message: 'ZIP-архив распаковывается в слишком большой объём',
    hint: 'Архив не прочитан: так бывает с повреждёнными или намеренно подделанными архивами. Создайте архив выгрузки заново.',
  },
  'input.duplicate_file': {
    severity: 'error',
    message: 'Файл с этим именем встречается в выгрузке дважды',
    hint: 'Имена сравниваются без учёта регистра и папок архива, и неизвестно, какой из файлов верный. Оставьте один файл и повторите проверку.',
  },
  'input.json_too_deep': {
    severity: 'error',
    message: 'Слишком глубокая вложенность JSON-документа',
    hint: 'Документ не прочитан. В выгрузке МИС записи лежат в списках разделов; проверьте, что документ создан выгрузкой МИС.',
  },
  'input.json_wrong_format': {
    severity: 'error',
    message: 'JSON-документ не является выгрузкой МИС для ejsync',
    hint: 'Документ не прочитан. Выгрузка должна начинаться с "format": "ejsync-mis" и "version": 1 (docs/formats/mis-csv.md).',
  },
  'input.json_unsupported_version': {
    severity: 'error',
    message: 'Версия формата JSON-выгрузки не поддерживается',
    hint: 'Документ не прочитан. Эта версия ejsync читает "version": 1; обновите ejsync или выгрузите в версии 1.',
  },
  'input.invalid_json': {
    severity: 'error',
    message: 'JSON-документ не читается',
    hint: 'Проверьте синтаксис JSON (кавычки, запятые, скобки) и кодировку UTF-8.',
  },
} as const satisfies CatalogueSection;
