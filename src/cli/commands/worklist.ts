import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { russify, subcommand } from '../russian-help';
import { runIdentityLink, runWorklist } from '../worklist-commands';

export function register(program: Command): void {
  russify(program.command('worklist').description('ручные действия связи в интерфейсе платформы: одно на все запуски, с состоянием и данными для ввода'))
    .requiredOption('--link <связь>', 'файл связи или идентификатор зарегистрированной связи')
    .option('--status <состояние>', 'open (открытые), done (отмеченные выполненными), resolved (видно на платформе) или all', 'open')
    .option('--overdue-days <дней>', 'открытые дольше стольких дней отмечаются (выход 1)', '7')
    .option('--json', 'вывести JSON')
    .action((opts: { link: string; status?: string; overdueDays?: string; json?: boolean }) => runCommand((io) => runWorklist(opts, io)));
  const identity = russify(program.command('identity').description('сопоставление людей МИС и платформы вручную'));
  subcommand(identity, 'link', 'связать запись человека в МИС с его записью на платформе (записывается в журнал действий)')
    .requiredOption('--link <связь>', 'файл связи или идентификатор зарегистрированной связи')
    .requiredOption('--entity <вид>', 'pupils (ученики), staff (сотрудники) или guardians (законные представители)')
    .requiredOption('--source <код>', 'код человека в МИС')
    .requiredOption('--target <код>', 'код того же человека на платформе')
    .requiredOption('--reason <основание>', 'основание (например, «сверено по свидетельству о рождении»)')
    .action((opts: { link: string; entity: string; source: string; target: string; reason: string }) => runCommand((io) => runIdentityLink(opts, io)));
}
