import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runUpload } from '../upload-command';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'upload [путь]', 'загрузить выгрузку МИС школы в базу: следующий запуск связи на любом узле будет спланирован по ней')
    .requiredOption('--link <связь>', 'файл связи или идентификатор зарегистрированной связи')
    .option('--new-token', 'выдать связи новый ключ загрузки для POST /api/links/{id}/exports (прежний перестаёт действовать; ключ показывается один раз)')
    .option('--json', 'вывести JSON')
    .addHelpText(
      'after',
      [
        '',
        'Путь — папка с CSV-файлами МИС (сохраняется как ZIP), ZIP-архив, JSON-документ МИС или пакет OneRoster.',
        'Выгрузка проверяется перед сохранением; одинаковое содержимое хранится один раз (по SHA-256).',
        'Наибольший размер — intake.maxBytes в config.json (по умолчанию 200 МиБ).',
        '',
        'Примеры:',
        '  ejsync upload --link links/school-1.json ./export-2026-12-04.zip',
        '  ejsync upload --link school-1 --new-token',
      ].join('\n'),
    )
    .action((target: string | undefined, opts: { link: string; newToken?: boolean; json?: boolean }) => runCommand((io) => runUpload(target, opts, io)));
}
