import type { Command } from 'commander';
import { russify, subcommand } from '../russian-help';
import { runCommand } from '../command-runner';
import { runPeriodChange, runPeriodList } from '../period-commands';

export function register(program: Command): void {
  const period = russify(program.command('period').description('отчётные периоды: закрыть (по приказу) или открыть в ejsync'));
  for (const [action, words] of [
    ['close', 'закрыть период: отметки и посещаемость в нём больше не передаются'],
    ['reopen', 'открыть период, закрытый в ejsync'],
  ] as const) {
    subcommand(period, action, words)
      .requiredOption('--link <связь>', 'файл связи или идентификатор зарегистрированной связи')
      .requiredOption('--period <id>', 'идентификатор периода в выгрузке МИС')
      .requiredOption('--reason <основание>', 'основание (например, «приказ № 45 от 28.10.2026»)')
      .action((opts: { link: string; period: string; reason: string }) => runCommand((io) => runPeriodChange(action, opts, io)));
  }
  subcommand(period, 'list', 'периоды выгрузки и их состояние')
    .requiredOption('--link <связь>', 'файл связи или идентификатор зарегистрированной связи')
    .option('--json', 'вывести JSON')
    .action((opts: { link: string; json?: boolean }) => runCommand((io) => runPeriodList(opts, io)));
}
