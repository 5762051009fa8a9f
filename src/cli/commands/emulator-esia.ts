import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { appConfigPath, loadAppConfig } from '../../config/app-config';
import { readEnvironment } from '../../config/environment';
import { DEMO_PERSONS } from '../../connectors/esia/emulator/demo-persons';
import { startEsiaEmulator } from '../../connectors/esia/emulator/esia-emulator';
import type { EmulatedPerson } from '../../connectors/esia/emulator/esia-emulator-state';
import type { EsiaTokenAlgorithm } from '../../connectors/esia/keys/verification-key';
import { EjsyncError } from '../../model';
import { subcommand } from '../russian-help';
import { runCommand, type CommandIo } from '../command-runner';

interface EmulatorEsiaOptions {
  port: string;
  clientId?: string;
  systemCert?: string;
  redirectUri?: string;
  persons?: string;
  keyOut?: string;
  issuer?: string;
  tokenAlg?: string;
}

const TOKEN_ALGORITHMS: Record<string, EsiaTokenAlgorithm> = { gost: 'GOST3410_2012_256', rs256: 'RS256' };

export async function runEmulatorEsia(opts: EmulatorEsiaOptions, io: CommandIo): Promise<number> {
  const config = loadAppConfig(appConfigPath(readEnvironment().home)).esia;
  const clientId = opts.clientId ?? config?.clientId;
  const certFile = opts.systemCert ?? config?.certificateFile;
  const redirectUri = opts.redirectUri ?? config?.redirectUri;
  if (!clientId || !certFile || !redirectUri) {
    throw new EjsyncError('esia.config_invalid', { detail: 'укажите --client-id, --system-cert и --redirect-uri (или раздел esia в настройках)' });
  }
  const tokenAlgorithm = TOKEN_ALGORITHMS[(opts.tokenAlg ?? 'gost').toLowerCase()];
  if (!tokenAlgorithm) throw new EjsyncError('esia.config_invalid', { detail: `--token-alg: gost или rs256, а не «${opts.tokenAlg}»` });
  const persons: EmulatedPerson[] = opts.persons ? JSON.parse(await readFile(opts.persons, 'utf8')) : DEMO_PERSONS;
  const emulator = await startEsiaEmulator({
    port: Number(opts.port),
    systems: [{ clientId, certificatePem: await readFile(certFile, 'utf8'), redirectUris: [redirectUri] }],
    persons,
    issuer: opts.issuer ?? config?.issuer,
    tokenAlgorithm,
  });
  if (opts.keyOut) {
    const { writeFile } = await import('node:fs/promises');
    await writeFile(opts.keyOut, emulator.verificationCertificatePem);
  }
  io.stdout.write(`Эмулятор ЕСИА запущен: ${emulator.url} (это НЕ Госуслуги, а песочница на этом компьютере)\n`);
  const algorithm = emulator.tokenAlgorithm === 'RS256' ? 'RS256' : 'ГОСТ Р 34.10-2012';
  io.stdout.write(`Издатель маркеров: ${emulator.issuer}; подпись маркеров: ${algorithm}; сертификат для проверки: ${emulator.url}/__emulator/verification-key\n`);
  io.stdout.write(`Тестовых учётных записей: ${persons.length}. Остановка: Ctrl+C.\n`);
  await new Promise<void>((resolve) => {
    const stop = () => resolve();
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
  await emulator.close();
  io.stdout.write('Эмулятор ЕСИА остановлен.\n');
  return 0;
}

export function register(emulator: Command): void {
  subcommand(emulator, 'esia', 'эмулятор ЕСИА: вход, маркеры, /rs/prns, ошибки ЕСИА')
    .option('--port <порт>', 'порт', '0')
    .option('--client-id <мнемоника>', 'мнемоника системы (по умолчанию из настроек esia)')
    .option('--system-cert <файл>', 'сертификат системы (ГОСТ) для проверки подписей')
    .option('--redirect-uri <адрес>', 'разрешённый адрес возврата')
    .option('--persons <файл>', 'JSON со списком тестовых учётных записей')
    .option('--key-out <файл>', 'записать сертификат проверки маркеров в файл')
    .option('--issuer <адрес>', 'издатель маркеров (iss); по умолчанию из настроек esia или http://esia.gosuslugi.ru/')
    .option('--token-alg <алгоритм>', 'подпись маркеров: gost (ГОСТ Р 34.10-2012, как ЕСИА) или rs256', 'gost')
    .action((opts: EmulatorEsiaOptions) => runCommand((io) => runEmulatorEsia(opts, io)));
}
