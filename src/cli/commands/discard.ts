import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runDiscard } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'discard <запуск>', 'отклонить задержанный запуск (ничего не отправлять)')
    .requiredOption('--reason <текст>', 'почему (попадёт в журнал действий)')
    .action((id: string, opts) => runCommand((io) => runDiscard(id, opts, io)));
}
