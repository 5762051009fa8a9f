import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runShow } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(run: Command): void {
  subcommand(run, 'show <запуск>', 'подробности запуска: план, недоставленное, замечания')
    .option('--json', 'вывести JSON')
    .option('--follow', 'следить за запуском до завершения (полоса хода доставки)')
    .action((id: string, opts) => runCommand((io) => runShow(id, opts, io)));
}
