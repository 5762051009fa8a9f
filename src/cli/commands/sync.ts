import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { positiveIntUpTo } from '../option-parsers';
import { subcommand } from '../russian-help';
import { runSyncCommand } from '../sync-command';

export function register(program: Command): void {
  subcommand(program, 'sync', 'синхронизировать связь сейчас: план → проверка → доставка через очередь, с отчётом')
    .requiredOption('--link <файл>', 'файл связи (config/links/*.json)')
    .option('--json', 'вывести итог в JSON (для программ)')
    .option('--timeout <минуты>', 'сколько ждать завершения (запуск продолжится в обработчике)', positiveIntUpTo(24 * 60), 120)
    .option('--concurrency <n>', 'параллельных доставок, если обработчик запускается в этом процессе', positiveIntUpTo(64), 8)
    .option('--no-local-worker', 'не запускать обработчик в этом процессе: запуск ждёт ejsync worker')
    .addHelpText('after', '\nЕсли обработчики очереди (ejsync worker) не запущены, команда запускает обработчик сама на время запуска.\nПока по связи применяется другой запуск (ночной или ещё одна команда sync), новый запуск ждёт его завершения: одновременно по одной связи применяется один запуск.\nКод завершения: 0 — запуск успешен, 1 — задержан, частично или с ошибкой, 2 — не удалось начать.')
    .action((opts: { link: string; json?: boolean; timeout: number; concurrency: number; localWorker: boolean }) =>
      runCommand((io) => runSyncCommand({ link: opts.link, json: opts.json, timeoutMinutes: opts.timeout, concurrency: opts.concurrency, noLocalWorker: !opts.localWorker }, io)),
    );
}
