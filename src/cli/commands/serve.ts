import type { Command } from 'commander';
import { readEnvironment } from '../../config/environment';
import { runCommand, type CommandIo } from '../command-runner';
import { positiveIntUpTo } from '../option-parsers';
import { subcommand } from '../russian-help';
import { DEMO_ROLES, startDemoServer } from '../serve-demo';
import { startInstallationServer } from '../serve-installation';

interface ServeOptions {
  port: number;
  host: string;
  demo?: boolean;
  workers?: boolean;
  pupils: number;
  trustProxy?: string;
  metricsPort?: number;
  metricsHost: string;
}

const port = (value: string) => (value === '0' ? 0 : positiveIntUpTo(65_535)(value));

function untilStopped(): Promise<void> {
  return new Promise((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
}

export async function runServe(opts: ServeOptions, io: CommandIo): Promise<number> {
  const say = (line: string) => io.stdout.write(`${line}\n`);
  const env = readEnvironment();
  if (opts.demo) {
    say('Демонстрация ejsync: всё работает на этом компьютере, с эмуляторами Дневник.ру и ЕСИА (не рабочие системы).');
    // The demo never writes into the installation's database: an in-memory store, its own queue prefix.
    const demo = await startDemoServer({ port: opts.port, host: opts.host, env: { ...env, databaseUrl: undefined, databaseSchema: undefined, home: ':memory:' }, pupils: opts.pupils, say });
    const schools = demo.world.schools;
    say('');
    say(`Панель ошибок синхронизации: ${demo.url}`);
    say('Как войти: откройте адрес, нажмите вход — откроется эмулятор ЕСИА; выберите тестовую учётную запись:');
    for (const r of DEMO_ROLES) say(`  • ${r.who} — ${r.what.replace('школы A', `школы A (${schools.a.link.school.sourceId})`)}`);
    say('Что посмотреть:');
    say(`  • школа A (${schools.a.link.name}): успешный запуск и задержанный — одобрите или отклоните его;`);
    say(`  • школа B (${schools.b.link.name}): запуск с ошибками dnevnik.parameter_invalid — ученики не были зачислены в класс на платформе.`);
    say('    Эмулятор уже «исправлен» (ученики зачислены): нажмите «Повторить», и записи дойдут.');
    say('Остановка: Ctrl+C.');
    await untilStopped();
    await demo.close();
    say('Демонстрация остановлена.');
    return 0;
  }
  const trustProxy = opts.trustProxy?.split(',').map((a) => a.trim()).filter(Boolean);
  const server = await startInstallationServer({ port: opts.port, host: opts.host, env, workers: opts.workers, say, metricsPort: opts.metricsPort, metricsHost: opts.metricsHost, ...(trustProxy?.length ? { trustProxy } : {}) });
  say(`Панель ошибок синхронизации: ${server.url} (вход через ЕСИА). Остановка: Ctrl+C.`);
  if (!opts.workers) say('Запуски выполняют обработчики очереди: запустите «ejsync worker» (или serve --workers).');
  await untilStopped();
  await server.close();
  return 0;
}

export function register(program: Command): void {
  subcommand(program, 'serve', 'панель ошибок синхронизации для администраторов (вход через ЕСИА)')
    .option('--port <порт>', 'порт', port, 8080)
    .option('--host <адрес>', 'адрес, на котором слушать', '127.0.0.1')
    .option('--demo', 'демонстрация: вымышленные школы, эмуляторы Дневник.ру и ЕСИА, готовые запуски')
    .option('--workers', 'выполнять запуски в этом же процессе (без отдельного ejsync worker)')
    .option('--pupils <n>', 'обучающихся в каждой демонстрационной школе', positiveIntUpTo(2000), 60)
    .option('--metrics-port <порт>', 'отдавать проверки (/healthz, /readyz) и метрики Prometheus (/metrics) панели на этом порту', positiveIntUpTo(65535))
    .option('--metrics-host <адрес>', 'адрес для /healthz, /readyz, /metrics (0.0.0.0 — доступно с других машин)', '127.0.0.1')
    .option('--trust-proxy <адреса>', 'адреса или сети обратных прокси через запятую (например, 127.0.0.1,10.0.0.0/8), чьим заголовкам X-Forwarded-* верить; без него заголовки не учитываются')
    .addHelpText('after', '\nНужен Redis (REDIS_URL). Без --demo: данные — DATABASE_URL или PGlite в EJSYNC_HOME, вход — раздел esia в config.json, роли — roles.json.')
    .action((opts: ServeOptions) => runCommand((io) => runServe(opts, io)));
}
