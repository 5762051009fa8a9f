import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runRollback } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'rollback <запуск>', 'откатить запуск: вернуть прежние значения новым запуском')
    .addHelpText('after', '\nПока по связи применяется другой запуск, откат ждёт его завершения.\nЕсли обработчики очереди (ejsync worker) не запущены, команда запускает обработчик сама и следит за запуском до конца (код 0 — запуск успешен, 1 — иначе); если запущены — запуск выполнят они (следить: ejsync run show ЗАПУСК --follow).')
    .action((id: string) => runCommand((io) => runRollback(id, io)));
}
