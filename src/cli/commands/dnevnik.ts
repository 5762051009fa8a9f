import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { DEFAULT_REDIRECT_URI, runDnevnikConnect } from '../dnevnik-connect';
import { positiveIntUpTo } from '../option-parsers';
import { russify, subcommand } from '../russian-help';

export function register(program: Command): void {
  const dnevnik = russify(program.command('dnevnik').description('подключение к Дневник.ру'));
  subcommand(dnevnik, 'connect', 'войти в Дневник.ру как администратор школы и сохранить доступ (OAuth)')
    .requiredOption('--link <файл>', 'файл связи (config/links/*.json)')
    .option('--code <код>', 'код авторизации или адрес, на который перешёл браузер (без него команда ждёт код)')
    .option('--redirect-uri <адрес>', 'адрес перенаправления, зарегистрированный для приложения-партнёра', DEFAULT_REDIRECT_URI)
    .option('--timeout <минуты>', 'сколько ждать код', positiveIntUpTo(120), 10)
    .addHelpText('after', '\nПриложение-партнёр: EJSYNC_DNEVNIK_CLIENT_ID и EJSYNC_DNEVNIK_CLIENT_SECRET; токен шифруется ключом EJSYNC_SECRET_KEY.')
    .action((opts: { link: string; code?: string; redirectUri: string; timeout: number }) =>
      runCommand((io) => runDnevnikConnect({ link: opts.link, code: opts.code, redirectUri: opts.redirectUri, timeoutMinutes: opts.timeout }, io)),
    );
}
