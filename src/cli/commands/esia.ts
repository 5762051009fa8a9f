import { X509Certificate } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import type { Command } from 'commander';
import { appConfigPath, loadAppConfig } from '../../config/app-config';
import { readEnvironment } from '../../config/environment';
import { EsiaClient } from '../../connectors/esia/esia-client';
import { certificateHash } from '../../connectors/esia/signer/certificate-hash';
import { createSigner } from '../../connectors/esia/signer/create-signer';
import { loadVerificationKeys } from '../../connectors/esia/keys/load-verification-keys';
import { runOpenssl } from '../../connectors/esia/signer/openssl-runner';
import type { EsiaTokenAlgorithm, VerificationKeyForm } from '../../connectors/esia/keys/verification-key';
import { catalogueEntry, EjsyncError } from '../../model';
import { subcommand } from '../russian-help';
import { runCommand, type CommandIo } from '../command-runner';

const DAY_MS = 86_400_000;
const ALGORITHM_LABELS: Record<EsiaTokenAlgorithm, string> = { GOST3410_2012_256: 'ГОСТ Р 34.10-2012', RS256: 'RSA, RS256' };
const FORM_LABELS: Record<VerificationKeyForm, string> = {
  'certificate-pem': 'сертификат PEM',
  'certificate-der': 'сертификат DER',
  'public-key-pem': 'открытый ключ PEM',
  'public-key-der': 'открытый ключ DER',
  jwk: 'ключ JWK',
};
const day = (d: Date) => d.toISOString().slice(0, 10);

function requireEsia(configFile: string) {
  const config = loadAppConfig(configFile, { required: true });
  if (!config.esia) throw new EjsyncError('esia.config_invalid', { detail: `в ${configFile} нет раздела esia` });
  return config.esia;
}

/**
 * `ejsync esia check`: configuration, certificate and its hash, signer, ЕСИА's verification
 * certificates — all offline. Exit 0 only when sign-in can work.
 */
export async function runEsiaCheck(options: { config?: string }, io: CommandIo, now = new Date()): Promise<number> {
  const file = options.config ?? appConfigPath(readEnvironment().home);
  const esia = requireEsia(file);
  let failures = 0;
  const ok = (line: string) => io.stdout.write(`✓ ${line}\n`);
  const bad = (line: string) => {
    failures++;
    io.stdout.write(`✗ ${line}\n`);
  };
  ok(`настройки ЕСИА прочитаны (${file}); мнемоника ${esia.clientId}, ЕСИА ${esia.baseUrl}`);
  ok(`издатель маркеров ЕСИА (iss): ${esia.issuer}`);
  try {
    const pem = await readFile(esia.certificateFile, 'utf8');
    const cert = new X509Certificate(pem);
    const hash = await certificateHash(pem);
    ok(`сертификат системы: ${cert.subject.replace(/\n/g, ', ')}; действует до ${cert.validTo}`);
    ok(`хэш сертификата (ГОСТ Р 34.11-2012, 256 бит): ${hash}`);
    if (new Date(cert.validTo).getTime() < now.getTime()) bad('срок действия сертификата системы истёк');
  } catch (error) {
    bad(`сертификат системы ${esia.certificateFile} не читается: ${(error as Error).message}`);
  }
  try {
    await createSigner(esia.signer).check();
    ok(`средство подписи (${esia.signer.kind}) подписывает`);
  } catch (error) {
    bad(`средство подписи (${esia.signer.kind}): ${(error as Error).message}`);
  }
  // The same loader token verification uses: what is listed here as usable is what sign-in accepts.
  const { keys, findings } = await loadVerificationKeys(esia.verificationCertificateFiles, now);
  for (const key of keys) {
    const what = `ключ проверки маркеров ЕСИА (${ALGORITHM_LABELS[key.algorithm]}, ${FORM_LABELS[key.form]}): ${key.source}`;
    const cert = key.certificate;
    if (!cert) ok(what);
    else if (cert.validTo.getTime() - now.getTime() < 30 * DAY_MS && cert.validTo.getTime() >= now.getTime()) {
      ok(`${what}; действует до ${day(cert.validTo)} — меньше 30 дней, подготовьте замену`);
    } else ok(`${what}; действует до ${day(cert.validTo)}`);
  }
  for (const finding of findings) io.stdout.write(`⚠ ${finding.message} [${finding.code}]. ${finding.hint}\n`);
  if (!keys.length) bad(`${catalogueEntry('esia.verification_keys_missing').message} [esia.verification_keys_missing]`);
  if (keys.some((k) => k.algorithm === 'GOST3410_2012_256')) {
    try {
      await runOpenssl(['engine', 'gost']);
    } catch {
      bad(`${catalogueEntry('esia.gost_unavailable').message} [esia.gost_unavailable]`);
    }
  }
  io.stdout.write(failures ? `Проверка не пройдена: ошибок ${failures}.\n` : 'Вход через ЕСИА настроен.\n');
  return failures ? 1 : 0;
}

/** `ejsync esia login-url`: a signed authorization URL (to test the registration by hand). */
export async function runEsiaLoginUrl(options: { config?: string }, io: CommandIo): Promise<number> {
  const file = options.config ?? appConfigPath(readEnvironment().home);
  const esia = requireEsia(file);
  const client = new EsiaClient({ config: esia, signer: createSigner(esia.signer) });
  const { url, state } = await client.authorizationUrl();
  io.stdout.write(`${url}\n`);
  io.stderr.write(`state этого входа: ${state}\n`);
  return 0;
}

export function register(program: Command): void {
  const esia = subcommand(program, 'esia', 'вход через ЕСИА (Госуслуги): проверка настроек и ссылка для входа');
  subcommand(esia, 'check', 'проверить настройки ЕСИА, сертификат, его хэш и средство подписи (без обращения к ЕСИА)')
    .option('--config <файл>', 'файл настроек (по умолчанию $EJSYNC_HOME/config.json)')
    .action((opts: { config?: string }) => runCommand((io) => runEsiaCheck(opts, io)));
  subcommand(esia, 'login-url', 'напечатать подписанную ссылку для входа через ЕСИА')
    .option('--config <файл>', 'файл настроек (по умолчанию $EJSYNC_HOME/config.json)')
    .action((opts: { config?: string }) => runCommand((io) => runEsiaLoginUrl(opts, io)));
}
