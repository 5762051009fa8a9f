import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runRuns } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'runs', 'список запусков синхронизации')
    .option('--link <id>', 'только эта связь')
    .option('--status <состояние>', 'только в этом состоянии (held, failed, …)')
    .option('--limit <n>', 'сколько показать', '20')
    .option('--json', 'вывести JSON')
    .action((opts) => runCommand((io) => runRuns(opts, io)));
}
