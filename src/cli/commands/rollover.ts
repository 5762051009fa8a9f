import type { Command } from 'commander';
import { runCommand } from '../command-runner';
import { positiveIntUpTo } from '../option-parsers';
import { runRolloverCommand } from '../rollover-command';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'rollover', 'перевести школу на новый учебный год: план (классы переводятся, выпускной класс выпускается, новые периоды и каникулы), задержанный для одобрения')
    .requiredOption('--link <файл>', 'файл связи (config/links/*.json)')
    .requiredOption('--to <год>', 'новый учебный год, например 2027/2028')
    .requiredOption('--order <номер>', 'номер приказа о переводе')
    .requiredOption('--order-date <дата>', 'дата приказа, ГГГГ-ММ-ДД')
    .requiredOption('--calendar <файл>', 'календарь нового учебного года (JSON: периоды и каникулы)')
    .option('--subgroups <carry|reset>', 'группы переведённых классов: carry — сохранить состав, reset — сформировать заново', 'carry')
    .option('--final-grade <n>', 'выпускная параллель', positiveIntUpTo(12), 11)
    .option('--archive-to <папка>', 'куда записать архив закрываемого учебного года (по умолчанию EJSYNC_HOME/archives)')
    .option('--json', 'вывести итог в JSON (для программ)')
    .addHelpText('after', '\nЗапуск всегда задерживается для просмотра; применяется после одобрения (ejsync approve ЗАПУСК) и откатывается как любой запуск (ejsync rollback ЗАПУСК). Номер и дата приказа записываются в запуск и в журнал действий.\nКод завершения: 0 — план ждёт одобрения, 1 — запуск не дошёл до одобрения (отказ, ошибка), 2 — не удалось начать.')
    .action((opts: { link: string; to: string; order: string; orderDate: string; calendar: string; subgroups: string; finalGrade: number; archiveTo?: string; json?: boolean }) =>
      runCommand((io) =>
        runRolloverCommand(
          { link: opts.link, to: opts.to, order: opts.order, orderDate: opts.orderDate, calendar: opts.calendar, subgroups: opts.subgroups as 'carry' | 'reset', finalGrade: opts.finalGrade, archiveTo: opts.archiveTo, json: opts.json },
          io,
        ),
      ),
    );
}
