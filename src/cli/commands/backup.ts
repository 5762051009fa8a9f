import type { Command } from 'commander';
import { runBackup, runBackupVerify, runRestore } from '../backup-commands';
import { runCommand } from '../command-runner';
import { subcommand } from '../russian-help';

const collect = (value: string, previous: string[]) => [...previous, value];

export function register(program: Command): void {
  const backup = subcommand(program, 'backup', 'резервная копия базы ejsync (запуски, журнал доставки, соответствия, аудит, зашифрованные секреты)')
    .option('--to <каталог>', 'куда записать копию; повторите для второго носителя', collect, [])
    .option('--prune', 'удалить старые копии по сроку хранения (неделя ×8, месяц ×12, год ×5)')
    .option('--json', 'вывести JSON')
    .action((opts: { to: string[]; prune?: boolean; json?: boolean }) =>
      runCommand(async (io) => {
        if (!opts.to.length) {
          io.stderr.write('Укажите каталог копии: ejsync backup --to КАТАЛОГ [--to КАТАЛОГ2]\n');
          return 2;
        }
        return runBackup(opts, io);
      }),
    );
  subcommand(backup, 'verify <архив...>', 'проверить целостность копий (код 0 — все целы)')
    .option('--json', 'вывести JSON')
    .action((files: string[], opts: { json?: boolean }) => runCommand((io) => runBackupVerify(files, opts, io)));
  subcommand(program, 'restore <архив>', 'восстановить базу ejsync из копии (только в пустую базу)')
    .option('--json', 'вывести JSON')
    .action((file: string, opts: { json?: boolean }) => runCommand((io) => runRestore(file, opts, io)));
}
