import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runRollback } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'rollback <запуск>', 'откатить запуск: вернуть прежние значения новым запуском')
    .action((id: string) => runCommand((io) => runRollback(id, io)));
}
