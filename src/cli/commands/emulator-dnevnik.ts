import type { Command } from 'commander';
import { loadDnevnikPlatform, markEndpointsOf } from '../../config/platform-config';
import { generateSchool } from '../../connectors/demo-school';
import { valueMapsOf } from '../../connectors/dnevnik';
import { EMULATOR_MARK_SYSTEMS, onboardSchool, startDnevnikEmulator, type DnevnikEmulator, type IdTwins } from '../../connectors/dnevnik/emulator';
import { readSource } from '../../connectors/read-source';
import { SnapshotCollector, type Snapshot } from '../../model';
import { runCommand, type CommandIo } from '../command-runner';
import { subcommand } from '../russian-help';

export interface EmulatorDnevnikOptions {
  port: string;
  pupils: string;
  seed: string;
  latency: string;
  faultRate: string;
  requestLimit: string;
  idTwins: string;
  /** The school's own МИС or OneRoster export to onboard instead of a generated school. @defaultValue none */
  fromExport?: string;
  /** The school of a OneRoster package of several schools (its sourcedId). @defaultValue the package's only school */
  school?: string;
  /** The school's mark system on the emulated platform. @defaultValue `mark5` */
  markType: string;
  /** Whether a class's answers include its subgroups' lessons, marks and log entries (`with-class`) or each subgroup answers alone (`separate`). @defaultValue `with-class` */
  subgroups: string;
}

const number = (v: string, name: string, min: number, max: number) => {
  const n = Number(v);
  if (!Number.isFinite(n) || n < min || n > max) throw new Error(`${name}: ожидается число от ${min} до ${max}, получено «${v}»`);
  return n;
};

/** The school to onboard: the administrator's own export, or a generated one. Null (after saying why) when the export cannot be read. */
async function schoolToOnboard(opts: EmulatorDnevnikOptions, io: CommandIo): Promise<Snapshot | null> {
  if (!opts.fromExport) {
    const collector = new SnapshotCollector();
    await generateSchool(collector, { pupils: number(opts.pupils, '--pupils', 1, 200_000), seed: opts.seed });
    return collector.snapshot();
  }
  const read = await readSource(opts.fromExport, opts.school ? { schoolSourcedId: opts.school } : {});
  if (!read.snapshot) {
    io.stderr.write(`Выгрузку ${opts.fromExport} прочитать не удалось:\n`);
    for (const f of read.findings) io.stderr.write(`  [${f.code}] ${f.message}\n  Что сделать: ${f.hint}\n`);
    return null;
  }
  const errors = read.findings.filter((f) => f.severity === 'error').length;
  io.stdout.write(
    `Выгрузка прочитана (${read.format}): ${read.snapshot.pupils.length} обучающихся, ${read.snapshot.classes.length} классов, ${read.snapshot.lessons.length} уроков; ` +
      `замечаний: ${read.findings.length}${errors ? `, из них ошибок ${errors} — записи с ошибками в песочницу не попали (подробно: ejsync validate ${opts.fromExport})` : ''}.\n`,
  );
  if (!read.snapshot.lessons.length) io.stdout.write('В выгрузке нет уроков (расписания): в песочнице работы и отметки не на что ставить — так же, как в Дневник.ру без сформированного расписания.\n');
  return read.snapshot;
}

/**
 * Starts the Дневник.ру emulator as `ejsync emulator dnevnik` describes it: a school onboarded
 * (a generated one, or with `--from-export` the school's own МИС or OneRoster export, read as
 * `ejsync validate` reads it), the faults and limits asked for. Null when the export is unreadable.
 */
export async function startEmulatorFromOptions(opts: EmulatorDnevnikOptions, io: CommandIo): Promise<{ emulator: DnevnikEmulator; platform: Snapshot } | null> {
  const faultRate = number(opts.faultRate, '--fault-rate', 0, 1);
  if (!['published', 'all', 'none'].includes(opts.idTwins)) throw new Error(`--id-twins: ожидается published, all или none, получено «${opts.idTwins}»`);
  if (!EMULATOR_MARK_SYSTEMS[opts.markType]) throw new Error(`--mark-type: ожидается одна из систем ${Object.keys(EMULATOR_MARK_SYSTEMS).join(', ')}, получено «${opts.markType}»`);
  if (!['with-class', 'separate'].includes(opts.subgroups)) throw new Error(`--subgroups: ожидается with-class или separate, получено «${opts.subgroups}»`);
  const config = loadDnevnikPlatform();
  const source = await schoolToOnboard(opts, io);
  if (!source) return null;
  const { platform } = onboardSchool(source);
  const emulator = await startDnevnikEmulator(platform, valueMapsOf(config), {
    port: number(opts.port, '--port', 0, 65535),
    markEndpoints: markEndpointsOf(config, 'emulator'),
    requestLimit: { max: number(opts.requestLimit, '--request-limit', 1, 100_000), windowMs: 1000 },
    idTwins: opts.idTwins as IdTwins,
    markType: opts.markType,
    classAnswersIncludeSubgroups: opts.subgroups === 'with-class',
    // The fault rate is split between the kinds of trouble the platform is known for.
    faults: { latencyMs: number(opts.latency, '--latency', 0, 60_000), serverErrorRate: faultRate / 4, htmlErrorRate: faultRate / 4, burst429Rate: faultRate / 5, timeoutRate: faultRate / 20, dropRate: faultRate / 10, dropAfterWriteRate: faultRate / 10 },
  });
  return { emulator, platform };
}

export async function runEmulatorDnevnik(opts: EmulatorDnevnikOptions, io: CommandIo): Promise<number> {
  const started = await startEmulatorFromOptions(opts, io);
  if (!started) return 2;
  const { emulator, platform } = started;
  const token = emulator.issueToken();
  io.stdout.write(`Эмулятор Дневник.ру запущен: ${emulator.apiBase} (это НЕ Дневник.ру, а песочница на этом компьютере; каждый ответ помечен заголовком X-Ejsync-Emulator: 1)\n`);
  io.stdout.write(`Школа ${platform.school.sourceId}${opts.fromExport ? ` (из выгрузки ${opts.fromExport})` : ''}: ${platform.pupils.length} обучающихся, ${platform.classes.length} классов, ${platform.lessons.length} уроков; система оценок ${opts.markType}.\n`);
  if (opts.fromExport) io.stdout.write(`Для репетиции укажите в файле связи target.baseUrl: ${emulator.apiBase} и target.schoolId: ${platform.school.sourceId}, затем ejsync dnevnik connect и ejsync plan.\n`);
  io.stdout.write(`Вход (OAuth, со страницей разрешения доступа): ${emulator.url}/oauth2?response_type=code&client_id=ejsync-emulator&scope=CommonInfo,EducationalInfo&redirect_uri=http://127.0.0.1:ПОРТ/…\n`);
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
    .option('--from-export <путь>', 'перенести в песочницу свою школу: папка или ZIP выгрузки МИС (CSV), файл МИС (JSON) или пакет OneRoster')
    .option('--school <id>', 'школа в пакете OneRoster нескольких школ (её sourcedId)')
    .option('--pupils <n>', 'размер вымышленной школы (без --from-export)', '300')
    .option('--seed <строка>', 'зерно вымышленной школы', 'ejsync')
    .option('--mark-type <система>', `система оценок школы: ${Object.keys(EMULATOR_MARK_SYSTEMS).join(' или ')}`, 'mark5')
    .option('--subgroups <вид>', 'уроки, отметки и посещаемость подгрупп: with-class — в ответах класса (по описанию API), separate — только в ответах самих подгрупп', 'with-class')
    .option('--latency <мс>', 'задержка каждого ответа', '0')
    .option('--fault-rate <доля>', 'доля запросов со сбоем: 5xx, HTML-страница, 429, обрыв соединения (0–1)', '0')
    .option('--request-limit <n>', 'запросов в секунду на токен до ответа apiRequestLimit', '100')
    .option('--id-twins <вид>', 'строковые двойники идентификаторов (*_str): published — как в опубликованных моделях API, all — у каждого, none — ни одного', 'published')
    .action((opts: EmulatorDnevnikOptions) => runCommand((io) => runEmulatorDnevnik(opts, io)));
}
