import { appConfigPath, loadAppConfig } from '../config/app-config';
import { readEnvironment, storeOptionsOf } from '../config/environment';
import { intakeConfigOf } from '../config/intake-config';
import { EjsyncError } from '../model';
import { exportFileOf } from '../queue/intake/export-file';
import { receiveExport } from '../queue/intake/receive-export';
import { openStore } from '../store';
import type { CommandIo } from './command-runner';
import { resolveLink } from './resolve-link';
import { cliActor } from './run-commands';

export interface UploadOptions {
  link: string;
  /** Issue a new upload key instead of uploading. */
  newToken?: boolean;
  json?: boolean;
}

const mib = (n: number) => `${(n / 1024 / 1024).toFixed(n < 1024 * 1024 ? 3 : 1)} МиБ`;

/**
 * `ejsync upload --link L PATH`: keeps the export in the store (checked, content-addressed) so
 * the link's next run plans from it on any host; `--new-token` issues the link's upload key for
 * the HTTP endpoint instead (shown once, kept hashed, audited without the key).
 */
export async function runUpload(target: string | undefined, opts: UploadOptions, io: CommandIo): Promise<number> {
  const env = readEnvironment();
  if (!opts.newToken && !target) {
    io.stderr.write('Укажите путь к выгрузке (папка, ZIP или JSON) или --new-token, чтобы выдать ключ загрузки.\n');
    return 2;
  }
  const intake = intakeConfigOf(loadAppConfig(appConfigPath(env.home)));
  const store = await openStore(storeOptionsOf(env));
  try {
    const link = await resolveLink(store, opts.link);
    if (opts.newToken) {
      const token = await store.exports.issueUploadToken(link.id);
      await store.audit.append({ ...cliActor(), action: 'intake.token_issued', objectType: 'link', objectId: link.id, schoolId: link.school.sourceId });
      if (opts.json) io.stdout.write(`${JSON.stringify({ linkId: link.id, token })}\n`);
      else
        io.stdout.write(
          [
            `Новый ключ загрузки связи ${link.id} (показывается один раз; прежний ключ больше не действует):`,
            `  ${token}`,
            'Передайте его школе по защищённому каналу. Загрузка:',
            `  curl --fail -H "Authorization: Bearer КЛЮЧ" --data-binary @выгрузка.zip https://АДРЕС-ПАНЕЛИ/api/links/${encodeURIComponent(link.id)}/exports`,
          ].join('\n') + '\n',
        );
      return 0;
    }
    let file;
    try {
      file = await exportFileOf(target!);
    } catch (cause) {
      throw new EjsyncError('input.not_found', { cause, detail: target });
    }
    try {
      const { record, duplicate } = await receiveExport(store, link, file.file, { maxBytes: intake.maxBytes, fileName: file.fileName });
      await store.audit.append({ ...cliActor(), action: 'intake.export_received', objectType: 'link', objectId: link.id, schoolId: link.school.sourceId, details: { sha256: record.sha256, size: record.size, duplicate } });
      if (opts.json) {
        io.stdout.write(`${JSON.stringify({ linkId: link.id, sha256: record.sha256, size: record.size, fileName: record.fileName, format: record.format, receivedAt: record.receivedAt.toISOString(), duplicate })}\n`);
      } else {
        io.stdout.write(
          [
            `Выгрузка связи ${link.id} ${duplicate ? 'уже была загружена (то же содержимое): отмечена как полученная сейчас' : 'принята и сохранена в базе'}.`,
            `  SHA-256: ${record.sha256}`,
            `  Размер: ${mib(record.size)} (${record.size} байт), файл: ${record.fileName}`,
            `Следующий запуск связи (ночной, из панели или «ejsync sync --link ФАЙЛ-СВЯЗИ»; на любом узле) будет спланирован по этой выгрузке.`,
          ].join('\n') + '\n',
        );
      }
      return 0;
    } finally {
      await file.cleanup();
    }
  } finally {
    await store.close();
  }
}
