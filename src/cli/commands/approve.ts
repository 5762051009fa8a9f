import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runApprove } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'approve <запуск>', 'одобрить задержанный запуск и доставить изменения')
    .option('--reason <текст>', 'почему (попадёт в журнал действий)')
    .action((id: string, opts) => runCommand((io) => runApprove(id, opts, io)));
}
