import type { Command } from 'commander';
import { runArchiveVerify, runArchiveYear } from '../archive-commands';
import { runCommand } from '../command-runner';
import { russify, subcommand } from '../russian-help';

export function register(program: Command): void {
  const archive = russify(program.command('archive').description('архив электронного журнала за учебный год (хранится 5 лет)'));
  subcommand(archive, 'year', 'собрать подписанный архив закрытого учебного года: отметки, посещаемость, итоговые, журнал доставки')
    .requiredOption('--link <связь>', 'файл связи или идентификатор зарегистрированной связи')
    .requiredOption('--year <год>', 'учебный год, например 2026/2027')
    .requiredOption('--out <каталог>', 'куда записать архив')
    .option('--json', 'вывести JSON')
    .action((opts: { link: string; year: string; out: string; json?: boolean }) => runCommand((io) => runArchiveYear(opts, io)));
  subcommand(archive, 'verify <архив>', 'проверить, что архив не изменён (код 0 — цел)').action((file: string) => runCommand((io) => runArchiveVerify(file, io)));
}
