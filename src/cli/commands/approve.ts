import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runApprove } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'approve <запуск>', 'одобрить задержанный запуск и доставить изменения')
    .option('--reason <текст>', 'почему (попадёт в журнал действий)')
    .addHelpText('after', '\nЕсли обработчики очереди (ejsync worker) не запущены, команда запускает обработчик сама и следит за запуском до конца (код 0 — запуск успешен, 1 — иначе); если запущены — запуск выполнят они (следить: ejsync run show ЗАПУСК --follow).')
    .action((id: string, opts) => runCommand((io) => runApprove(id, opts, io)));
}
