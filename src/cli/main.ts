import { Command, CommanderError } from 'commander';
import { russify } from './russian-help';
import { addJsonEverywhere } from './json-option';
import { addStoreHomeCheck } from './home-guard';
import { printError, processIo } from './command-runner';
import { isEjsyncError } from '../model';
import * as validate from './commands/validate';
import * as demoData from './commands/demo-data';
import * as demo from './commands/demo';
import * as plan from './commands/plan';
import * as sync from './commands/sync';
import * as emulatorDnevnik from './commands/emulator-dnevnik';
import * as emulatorEsia from './commands/emulator-esia';
import * as emulatorSedizh from './commands/emulator-sedizh';
import * as dnevnik from './commands/dnevnik';
import * as esia from './commands/esia';
import * as worker from './commands/worker';
import * as runs from './commands/runs';
import * as runShow from './commands/run-show';
import * as approve from './commands/approve';
import * as discard from './commands/discard';
import * as retry from './commands/retry';
import * as rollback from './commands/rollback';
import * as serve from './commands/serve';
import * as backup from './commands/backup';
import * as period from './commands/period';
import * as archive from './commands/archive';
import * as purge from './commands/purge';
import * as audit from './commands/audit';
import * as worklist from './commands/worklist';
import * as rollover from './commands/rollover';
import * as upload from './commands/upload';
import * as exportCommand from './commands/export';
import * as doctor from './commands/doctor';

const VERSION = '0.1.0';

/** Builds the `ejsync` command tree. */
export function buildProgram(): Command {
  const program = russify(new Command('ejsync'));
  program
    .description('ejsync — перенос данных школы из МИС в региональные электронные журналы (Дневник.ру, СЭДиЖ/ЭПОС)')
    .version(VERSION, '-V, --version', 'показать версию')
    .exitOverride();

  for (const command of [demo, validate, demoData, plan, sync, worker, runs, approve, discard, retry, rollback, serve, backup, period, rollover, archive, purge, audit, worklist, upload, exportCommand, dnevnik, esia, doctor]) {
    command.register(program);
  }
  const emulator = russify(program.command('emulator').description('запустить эмулятор внешней платформы (песочница на этом компьютере)'));
  emulatorDnevnik.register(emulator);
  emulatorEsia.register(emulator);
  emulatorSedizh.register(emulator);
  const run = russify(program.command('run').description('сведения о запуске синхронизации'));
  runShow.register(run);
  addJsonEverywhere(program);
  addStoreHomeCheck(program);
  return program;
}

/** CLI entry: parses argv, maps commander's exits onto exit statuses (2 for usage errors). */
export async function main(argv: string[]): Promise<void> {
  const program = buildProgram();
  try {
    await program.parseAsync(argv);
  } catch (error) {
    if (error instanceof CommanderError) {
      process.exitCode = error.exitCode === 0 ? 0 : 2;
      return;
    }
    if (isEjsyncError(error)) {
      // Refused before the command ran (e.g. store.home_empty).
      printError(processIo, error);
      process.exitCode = 2;
      return;
    }
    throw error;
  }
}
