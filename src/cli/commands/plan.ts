import { Option, type Command } from 'commander';
import { runCommand } from '../command-runner';
import { runPlanCommand } from '../plan-command';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'plan', 'показать, что изменит синхронизация связи, ничего не отправляя на платформу')
    .requiredOption('--link <файл>', 'файл связи (config/links/*.json)')
    .option('--json', 'вывести итог в JSON (для программ)')
    .option('--out <папка>', 'куда сохранить полный отчёт (по умолчанию $EJSYNC_HOME/reports/plan-…)')
    .addOption(new Option('--format <вид>', 'таблицы отчёта').choices(['xlsx', 'csv']).default('xlsx'))
    .option('--no-report', 'не сохранять файлы отчёта')
    .addHelpText('after', '\nКод завершения: 0 — план можно применять, 1 — запуск будет задержан/отклонён или в выгрузке ошибки, 2 — не удалось прочитать выгрузку или платформу.')
    .action((opts: { link: string; json?: boolean; out?: string; format: 'xlsx' | 'csv'; report: boolean }) => runCommand((io) => runPlanCommand(opts, io)));
}
