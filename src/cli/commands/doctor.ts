import type { Command } from 'commander';
import { runCommand, type CommandIo } from '../command-runner';
import { doctorExitStatus, evaluateDoctor, formatDoctorReport } from '../doctor-checks';
import { probeHost, type ProbeOptions } from '../doctor-probe';
import { subcommand } from '../russian-help';

/** Checks this host, prints one line per check (or `{"checks":[…]}` with `json`); 1 when any check is an error. */
export async function runDoctor(opts: { json?: boolean }, io: CommandIo, probe: ProbeOptions = {}): Promise<number> {
  const checks = evaluateDoctor(await probeHost(probe));
  io.stdout.write(opts.json ? `${JSON.stringify({ checks }, null, 2)}\n` : formatDoctorReport(checks));
  return doctorExitStatus(checks);
}

export function register(program: Command): void {
  subcommand(program, 'doctor', 'проверить этот компьютер перед запуском: Node.js, ГОСТ в OpenSSL, Redis, база, ключ секретов, настройки')
    .option('--json', 'вывести результат в JSON (для программ)')
    .addHelpText('after', '\nКод завершения: 0 — ошибок нет (предупреждения допустимы), 1 — есть ошибки.')
    .action((opts: { json?: boolean }) => runCommand((io) => runDoctor(opts, io)));
}
