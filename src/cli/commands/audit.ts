import type { Command } from 'commander';
import { runAuditVerify } from '../audit-commands';
import { runCommand } from '../command-runner';
import { russify, subcommand } from '../russian-help';

export function register(program: Command): void {
  const audit = russify(program.command('audit').description('журнал действий: проверка, что его не изменили'));
  subcommand(audit, 'verify', 'пересчитать цепочку контрольных сумм журнала действий (выход 1, если запись изменена, удалена или переставлена)')
    .option('--json', 'вывести JSON')
    .action((opts: { json?: boolean }) => runCommand((io) => runAuditVerify(opts, io)));
}
