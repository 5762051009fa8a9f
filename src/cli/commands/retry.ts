import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runRetry } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'retry <запуск>', 'повторить недоставленные изменения запуска')
    .option('--code <код>', 'только с этим кодом ошибки')
    .action((id: string, opts) => runCommand((io) => runRetry(id, opts, io)));
}
