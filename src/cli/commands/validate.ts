import type { Command } from 'commander';
import path from 'node:path';
import { FINDING_COLUMNS, writeTableFile } from '../../export';
import { runCommand } from '../command-runner';
import { subcommand } from '../russian-help';
import { validateSource, validationExitStatus } from '../validate-source';
import { validationReport } from '../validation-report';

export function register(program: Command): void {
  subcommand(program, 'validate', 'проверить выгрузку школы до загрузки (МИС CSV/JSON или OneRoster 1.1/1.2)')
    .argument('<путь>', 'папка, ZIP-архив или JSON-файл выгрузки')
    .option('--json', 'вывести результат в JSON (для программ)')
    .option('--report <файл>', 'сохранить все замечания в таблицу (.csv или .xlsx)')
    .option('--school <id>', 'sourcedId школы в пакете OneRoster: выбрать школу районного пакета или назвать школу дельта-выгрузки без orgs.csv')
    .addHelpText('after', '\nКод завершения: 0 — ошибок нет, 1 — есть ошибки в данных, 2 — выгрузку не удалось прочитать.')
    .action((target: string, opts: { json?: boolean; report?: string; school?: string }) =>
      runCommand(async (io) => {
        const result = await validateSource(target, opts.school !== undefined ? { schoolSourcedId: opts.school } : {});
        if (opts.report) await writeTableFile(opts.report, 'Замечания', FINDING_COLUMNS, result.findings);
        if (opts.json) io.stdout.write(JSON.stringify({ format: result.format, counts: result.counts, findings: result.findings }, null, 2) + '\n');
        else io.stdout.write(validationReport(target, result, opts.report ? path.resolve(opts.report) : undefined));
        return validationExitStatus(result);
      }),
    );
}
