import type { Command } from 'commander';
import { positiveIntUpTo } from '../option-parsers';
import { runCommand } from '../command-runner';
import { runDemoSync } from '../demo-sync';
import { runSedizhDemo } from '../demo-sedizh';
import { runOneRosterDemo } from '../demo-oneroster';
import { runJson, planTable } from '../run-report';
import { subcommand } from '../russian-help';
import { readEnvironment } from '../../config/environment';
import { demoStoreHint } from '../demo-home';

const positiveInt = positiveIntUpTo(200_000);

export function register(program: Command): void {
  subcommand(program, 'demo', 'демонстрация: вымышленная школа → эмулятор Дневник.ру, СЭДиЖ или папка OneRoster через очередь, с отчётом')
    .option('--pupils <n>', 'число обучающихся', positiveInt, 300)
    .option('--seed <строка>', 'зерно вымышленной школы', 'ejsync')
    .option('--weeks <n>', 'учебных недель отметок и посещаемости', positiveInt, 1)
    .option('--target <платформа>', 'куда: dnevnik (Дневник.ру), sedizh (СЭДиЖ / ЭПОС, пакеты обмена) или oneroster (пакеты OneRoster 1.2 CSV в папку)', 'dnevnik')
    .option('--json', 'вывести итог в JSON')
    .addHelpText('after', '\nНужны Redis (REDIS_URL, по умолчанию 127.0.0.1:6379); данные запусков — в EJSYNC_HOME (PGlite) или DATABASE_URL.')
    .action((opts: { pupils: number; seed: string; weeks: number; target: string; json?: boolean }) =>
      runCommand(async (io) => {
        const say = (line: string) => (opts.json ? io.stderr : io.stdout).write(line + '\n');
        if (opts.target !== 'dnevnik' && opts.target !== 'sedizh' && opts.target !== 'oneroster') {
          io.stderr.write(`--target: ожидается dnevnik, sedizh или oneroster, получено «${opts.target}»\n`);
          return 2;
        }
        const run = opts.target === 'sedizh' ? runSedizhDemo : opts.target === 'oneroster' ? runOneRosterDemo : runDemoSync;
        const result = await run({ pupils: opts.pupils, seed: opts.seed, weeks: opts.weeks, say });
        const [first, second] = result.runs;
        if (opts.json) {
          io.stdout.write(JSON.stringify({ exportPath: result.exportPath, manualActions: result.manualActions, runs: result.runs.map((r) => ({ ...runJson(r.run), emulatorWrites: r.emulatorWrites })) }, null, 2) + '\n');
        } else {
          io.stdout.write(`\nОтчёт первого запуска (${first.run.id}):\n${planTable(first.run)}\n`);
          io.stdout.write(`\nЗаписей на платформу: первый запуск — ${first.emulatorWrites}, повторный — ${second.emulatorWrites}.`);
          io.stdout.write(`\nРучных действий в интерфейсе платформы: ${result.manualActions} (то, что ${opts.target === 'sedizh' ? 'пакеты обмена СЭДиЖ' : opts.target === 'oneroster' ? 'пакеты OneRoster' : 'API Дневник.ру'} записать не позволяет).`);
          io.stdout.write(`\nПодробности (у демонстрации своя база): ${demoStoreHint(readEnvironment())} ejsync run show ${first.run.id}\n`);
        }
        const ok = result.runs.every((r) => r.run.status === 'succeeded') && second.emulatorWrites === 0;
        if (!ok) io.stderr.write('Демонстрация завершилась не так, как ожидалось: см. отчёт выше.\n');
        return ok ? 0 : 1;
      }),
    );
}
