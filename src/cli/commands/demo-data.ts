import type { Command } from 'commander';
import path from 'node:path';
import { generateSchool } from '../../connectors/demo-school';
import { createMisCsvWriter, createMisJsonWriter } from '../../connectors/mis-csv';
import { createOneRosterWriter } from '../../connectors/oneroster';
import { positiveIntUpTo } from '../option-parsers';
import { runCommand } from '../command-runner';
import { subcommand } from '../russian-help';

const positiveInt = positiveIntUpTo(1_000_000);

export function register(program: Command): void {
  subcommand(program, 'demo-data', 'создать выгрузку вымышленной школы для проб и тестов')
    .requiredOption('--out <папка>', 'куда записать (папка; для JSON — файл .json)')
    .option('--pupils <n>', 'число обучающихся', positiveInt, 1000)
    .option('--seed <строка>', 'зерно: одно зерно — одна и та же школа, байт в байт', 'ejsync')
    .option('--format <формат>', 'mis-csv, mis-json или oneroster', 'mis-csv')
    .option('--weeks <n>', 'сколько учебных недель уроков, отметок и посещаемости', positiveInt, 2)
    .action((opts: { out: string; pupils: number; seed: string; format: string; weeks: number }) =>
      runCommand(async (io) => {
        if (!['mis-csv', 'mis-json', 'oneroster'].includes(opts.format)) {
          io.stderr.write(`Неизвестный формат «${opts.format}». Допустимы: mis-csv, mis-json, oneroster.\n`);
          return 2;
        }
        const started = Date.now();
        const sink =
          opts.format === 'mis-json' ? createMisJsonWriter(opts.out) : opts.format === 'oneroster' ? await createOneRosterWriter(opts.out) : await createMisCsvWriter(opts.out);
        await generateSchool(sink, { pupils: opts.pupils, seed: opts.seed, weeks: opts.weeks });
        io.stdout.write(`Создана вымышленная школа (${opts.pupils} обучающихся, зерно «${opts.seed}», формат ${opts.format}): ${path.resolve(opts.out)} за ${((Date.now() - started) / 1000).toFixed(1)} с\n`);
        return 0;
      }),
    );
}
