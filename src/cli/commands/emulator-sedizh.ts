import type { Command } from 'commander';
import path from 'node:path';
import { loadSedizhPlatform } from '../../config/sedizh-config';
import { startSedizhEmulator } from '../../connectors/sedizh/emulator';
import type { PackageMapping } from '../../mappers/sedizh';
import { runCommand, type CommandIo } from '../command-runner';
import { subcommand } from '../russian-help';

interface EmulatorSedizhOptions {
  port: string;
  dir?: string;
  cutoff: string;
  faultRate: string;
  latency: string;
}

const number = (v: string, name: string, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name}: ожидается число от ${min} до ${max}, получено «${v}»`);
  return n;
};

/** `ejsync emulator sedizh`: a loopback СЭДиЖ / ЭПОС exchange (HTTP and, with --dir, an exchange folder). */
export async function runEmulatorSedizh(opts: EmulatorSedizhOptions, io: CommandIo): Promise<number> {
  if (!/^([01]\d|2[0-3]):[0-5]\d$/.test(opts.cutoff)) throw new Error(`--cutoff: ожидается время ЧЧ:ММ, например 14:00, получено «${opts.cutoff}»`);
  const faultRate = number(opts.faultRate, '--fault-rate', 0, 1);
  const config = loadSedizhPlatform();
  const dir = opts.dir ? path.resolve(opts.dir) : undefined;
  const emulator = await startSedizhEmulator({
    mapping: config.mapping as PackageMapping,
    port: number(opts.port, '--port', 0, 65535),
    ...(dir ? { dir } : {}),
    cutoff: { time: opts.cutoff, weekdaysOnly: config.cutoff.weekdaysOnly },
    // The fault rate is split between the troubles of a package exchange.
    faults: { latencyMs: number(opts.latency, '--latency', 0, 60_000), serverErrorRate: faultRate / 3, malformedReceiptRate: faultRate / 4, lostReceiptRate: faultRate / 4, receiptNeverComesRate: faultRate / 12 },
  });
  io.stdout.write(`Эмулятор СЭДиЖ / ЭПОС запущен: ${emulator.url} (это НЕ платформа, а песочница на этом компьютере; формат пакетов — ejsync по умолчанию, docs/formats/sedizh-xml.md)\n`);
  io.stdout.write(`Загрузка пакетов: POST ${emulator.url}/packages (multipart, поле package); квитанция: GET ${emulator.url}/packages/НОМЕР/receipt; выгрузка: GET ${emulator.url}/export?school=КОД\n`);
  if (dir) io.stdout.write(`Каталог обмена: ${dir} (пакеты — в outbox/, квитанции и выгрузки — в inbox/)\n`);
  io.stdout.write(`Час отсечки: ${opts.cutoff} (изменения после него вступают в силу на следующий ${config.cutoff.weekdaysOnly ? 'рабочий ' : ''}день). Журнал записей: GET ${emulator.url}/__emulator/writes. Остановка: Ctrl+C.\n`);
  io.stdout.write(`В связи укажите target: { "platform": "sedizh", "installation": "emulator", "schoolId": "КОД_ШКОЛЫ", "baseUrl": "${emulator.url}" }\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await emulator.close();
  io.stdout.write('Эмулятор СЭДиЖ остановлен.\n');
  return 0;
}

export function register(emulator: Command): void {
  subcommand(emulator, 'sedizh', 'эмулятор СЭДиЖ / ЭПОС: приём пакетов по HTTP и через каталог, квитанции, час отсечки, сбои')
    .option('--port <порт>', 'порт (0 — любой свободный)', '8788')
    .option('--dir <каталог>', 'каталог обмена (outbox/ и inbox/) в дополнение к HTTP')
    .option('--cutoff <ЧЧ:ММ>', 'час отсечки: принятое позже вступает в силу на следующий день', '14:00')
    .option('--fault-rate <доля>', 'доля пакетов со сбоем: 503, испорченная квитанция, квитанция приходит лишь на повтор или не приходит вовсе (0–1)', '0')
    .option('--latency <мс>', 'задержка каждого ответа', '0')
    .action((opts: EmulatorSedizhOptions) => runCommand((io) => runEmulatorSedizh(opts, io)));
}
