import type { Command } from 'commander';
import { loadDnevnikPlatform, markEndpointsOf } from '../../config/platform-config';
import { generateSchool } from '../../connectors/demo-school';
import { valueMapsOf } from '../../connectors/dnevnik';
import { onboardSchool, startDnevnikEmulator, type IdTwins } from '../../connectors/dnevnik/emulator';
import { SnapshotCollector } from '../../model';
import { runCommand, type CommandIo } from '../command-runner';
import { subcommand } from '../russian-help';

interface EmulatorDnevnikOptions {
  port: string;
  pupils: string;
  seed: string;
  latency: string;
  faultRate: string;
  requestLimit: string;
  idTwins: string;
}

const number = (v: string, name: string, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name}: ожидается число от ${min} до ${max}, получено «${v}»`);
  return n;
};

export async function runEmulatorDnevnik(opts: EmulatorDnevnikOptions, io: CommandIo): Promise<number> {
  const faultRate = number(opts.faultRate, '--fault-rate', 0, 1);
  if (!['published', 'all', 'none'].includes(opts.idTwins)) throw new Error(`--id-twins: ожидается published, all или none, получено «${opts.idTwins}»`);
  const config = loadDnevnikPlatform();
  const collector = new SnapshotCollector();
  await generateSchool(collector, { pupils: number(opts.pupils, '--pupils', 1, 200_000), seed: opts.seed });
  const { platform } = onboardSchool(collector.snapshot());
  const emulator = await startDnevnikEmulator(platform, valueMapsOf(config), {
    port: number(opts.port, '--port', 0, 65535),
    markEndpoints: markEndpointsOf(config, 'emulator'),
    requestLimit: { max: number(opts.requestLimit, '--request-limit', 1, 100_000), windowMs: 1000 },
    idTwins: opts.idTwins as IdTwins,
    // The fault rate is split between the kinds of trouble the platform is known for.
    faults: { latencyMs: number(opts.latency, '--latency', 0, 60_000), serverErrorRate: faultRate / 4, htmlErrorRate: faultRate / 4, burst429Rate: faultRate / 5, timeoutRate: faultRate / 20, dropRate: faultRate / 10, dropAfterWriteRate: faultRate / 10 },
  });
  const token = emulator.issueToken();
  io.stdout.write(`Эмулятор Дневник.ру запущен: ${emulator.apiBase} (это НЕ Дневник.ру, а песочница на этом компьютере)\n`);
  io.stdout.write(`Школа ${platform.school.sourceId}: ${platform.pupils.length} обучающихся, ${platform.classes.length} классов, ${platform.lessons.length} уроков.\n`);
  io.stdout.write(`Вход (OAuth): ${emulator.url}/oauth2?response_type=code&client_id=ejsync-emulator&scope=CommonInfo,EducationalInfo&redirect_uri=…\n`);
  io.stdout.write(`Пробный токен эмулятора (действует час): ${token.accessToken}\n`);
  io.stdout.write(`Журнал записей: GET ${emulator.url}/__emulator/writes (очистить: DELETE). Остановка: Ctrl+C.\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  await emulator.close();
  io.stdout.write('Эмулятор Дневник.ру остановлен.\n');
  return 0;
}

export function register(emulator: Command): void {
  subcommand(emulator, 'dnevnik', 'эмулятор Дневник.ру: API v2, OAuth, лимиты, сбои, журнал записей')
    .option('--port <порт>', 'порт (0 — любой свободный)', '8787')
    .option('--pupils <n>', 'размер вымышленной школы', '300')
    .option('--seed <строка>', 'зерно вымышленной школы', 'ejsync')
    .option('--latency <мс>', 'задержка каждого ответа', '0')
    .option('--fault-rate <доля>', 'доля запросов со сбоем: 5xx, HTML-страница, 429, обрыв соединения (0–1)', '0')
    .option('--request-limit <n>', 'запросов в секунду на токен до ответа apiRequestLimit', '100')
    .option('--id-twins <вид>', 'строковые двойники идентификаторов (*_str): published — как в опубликованных моделях API, all — у каждого, none — ни одного', 'published')
    .action((opts: EmulatorDnevnikOptions) => runCommand((io) => runEmulatorDnevnik(opts, io)));
}
