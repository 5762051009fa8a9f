import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { runRetry } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'retry <запуск>', 'повторить недоставленные изменения запуска (с ошибкой и ожидающие доставки)')
    .option('--code <код>', 'только с этим кодом ошибки')
    .addHelpText('after', '\nБез --code в очередь снова ставятся и изменения, ожидающие доставки, чьи задания очередь потеряла (например, после перезапуска Redis). Уже доставленное второй раз не отправляется.\nЕсли обработчики очереди (ejsync worker) не запущены, команда запускает обработчик сама и следит за запуском до конца (код 0 — запуск успешен, 1 — иначе); если запущены — запуск выполнят они (следить: ejsync run show ЗАПУСК --follow).')
    .action((id: string, opts) => runCommand((io) => runRetry(id, opts, io)));
}
