import type { Command } from 'commander';
import { readEnvironment, storeOptionsOf } from '../../config/environment';
import { DEFAULT_DATA_RETENTION, openStore, purgeRunData } from '../../store';
import { runCommand } from '../command-runner';
import { positiveIntUpTo } from '../option-parsers';
import { cliActor } from '../run-commands';
import { subcommand } from '../russian-help';

export function register(program: Command): void {
  subcommand(program, 'purge', 'удалить устаревшие копии персональных данных и старые запуски по сроку хранения (152-ФЗ)')
    .option('--personal-data-days <дни>', 'сколько дней хранить копии записей (ФИО, значения) после завершения запуска', positiveIntUpTo(3650), DEFAULT_DATA_RETENTION.personalDataDays)
    .option('--run-years <годы>', 'сколько лет хранить сами запуски с журналом доставки', positiveIntUpTo(50), DEFAULT_DATA_RETENTION.runYears)
    .option('--exports-per-link <n>', 'сколько последних загруженных выгрузок хранить по каждой связи (и все, по которым спланированы незавершённые запуски)', positiveIntUpTo(1000), DEFAULT_DATA_RETENTION.exportsPerLink)
    .action((opts: { personalDataDays: number; runYears: number; exportsPerLink: number }) =>
      runCommand(async (io) => {
        const store = await openStore(storeOptionsOf(readEnvironment()));
        try {
          const result = await purgeRunData(store.db, cliActor(), new Date(), { personalDataDays: opts.personalDataDays, runYears: opts.runYears, exportsPerLink: opts.exportsPerLink });
          io.stdout.write(`Очистка по сроку хранения: запусков без персональных данных стало ${result.redactedRuns}, удалено старых запусков ${result.deletedRuns}; закрытых ручных действий без данных стало ${result.redactedWorklist}, удалено списков учеников неактивных связей ${result.deletedRosters}; удалено старых загруженных выгрузок ${result.deletedExports}.\n`);
          return 0;
        } finally {
          await store.close();
        }
      }),
    );
}
