import type { Command } from 'commander';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { readEnvironment, storeOptionsOf } from '../../config/environment';
import { ONEROSTER_CARRIED, writeOneRosterBulk, writeOneRosterDelta } from '../../connectors/oneroster';
import { readSource } from '../../connectors/read-source';
import { ENTITY_LABELS, ENTITY_ORDER, hasErrors, type SourceReadResult } from '../../model';
import { readLinkSource } from '../../queue/intake/link-source';
import { openStore } from '../../store';
import { runCommand } from '../command-runner';
import { resolveLink } from '../resolve-link';
import { subcommand } from '../russian-help';

interface ExportOptions {
  format: string;
  link?: string;
  from?: string;
  to: string;
  since?: string;
  json?: boolean;
}

async function readFor(opts: ExportOptions): Promise<SourceReadResult> {
  if (opts.from) return readSource(opts.from);
  const store = await openStore(storeOptionsOf(readEnvironment()));
  try {
    return await readLinkSource(store, await resolveLink(store, opts.link!));
  } finally {
    await store.close();
  }
}

export function register(program: Command): void {
  subcommand(program, 'export', 'записать выгрузку школы в стандартном формате (OneRoster 1.2 CSV): полный пакет или дельта к прежнему')
    .requiredOption('--to <папка>', 'куда записать пакет')
    .option('--format <формат>', 'формат пакета: oneroster', 'oneroster')
    .option('--link <связь>', 'выгрузка связи (файл связи или идентификатор): последняя загруженная, иначе source.path')
    .option('--from <путь>', 'любая выгрузка МИС (папка, ZIP, JSON) или пакет OneRoster')
    .option('--since <папка>', 'прежний полный пакет OneRoster: записать только изменения к нему (дельта-пакет)')
    .option('--json', 'вывести итог в JSON')
    .addHelpText('after', '\nКод завершения: 0 — пакет записан, 1 — в выгрузке ошибки (пакет не записан), 2 — неверные параметры или выгрузка не читается.')
    .action((opts: ExportOptions) =>
      runCommand(async (io) => {
        if (opts.format !== 'oneroster') {
          io.stderr.write(`--format: поддерживается только oneroster, получено «${opts.format}»\n`);
          return 2;
        }
        if (!opts.link === !opts.from) {
          io.stderr.write('Укажите ровно одно: --link (выгрузка связи) или --from (путь к выгрузке).\n');
          return 2;
        }
        const read = await readFor(opts);
        if (!read.snapshot) {
          io.stderr.write(`Выгрузку не удалось прочитать: ${read.findings.map((f) => f.message).slice(0, 3).join('; ')}\n`);
          return 2;
        }
        if (hasErrors(read.findings)) {
          io.stderr.write(`В выгрузке есть ошибки (${read.findings.filter((f) => f.severity === 'error').length}); пакет не записан. Подробности: ejsync validate ${opts.from ?? '<путь выгрузки связи>'}\n`);
          return 1;
        }
        const snapshot = read.snapshot;
        const target = path.resolve(opts.to);
        let rows: number | undefined;
        if (opts.since) {
          const temp = await mkdtemp(path.join(os.tmpdir(), 'ejsync-export-'));
          try {
            await writeOneRosterBulk(snapshot, temp);
            rows = (await writeOneRosterDelta(path.resolve(opts.since), temp, target, new Date())).rows;
          } finally {
            await rm(temp, { recursive: true, force: true });
          }
        } else await writeOneRosterBulk(snapshot, target);
        const notCarried = ENTITY_ORDER.filter((e) => !ONEROSTER_CARRIED.includes(e) && snapshot[e].length > 0).map((e) => ({ entity: e, records: snapshot[e].length }));
        const written = Object.fromEntries(ONEROSTER_CARRIED.map((e) => [e, snapshot[e].length]));
        if (opts.json) {
          io.stdout.write(JSON.stringify({ to: target, mode: opts.since ? 'delta' : 'bulk', rows, written, notCarried }, null, 2) + '\n');
          return 0;
        }
        if (opts.since) io.stdout.write(rows ? `Дельта-пакет OneRoster 1.2 записан: ${target} (строк: ${rows}).\n` : `Изменений к ${opts.since} нет: пакет не записан.\n`);
        else io.stdout.write(`Полный пакет OneRoster 1.2 записан: ${target} (обучающихся: ${snapshot.pupils.length}, классов: ${snapshot.classes.length}, работ: ${snapshot.works.length}, отметок: ${snapshot.marks.length}).\n`);
        if (notCarried.length) io.stdout.write(`В OneRoster нет места для: ${notCarried.map((n) => `${ENTITY_LABELS[n.entity].toLowerCase()} (${n.records})`).join(', ')} — они в пакет не вошли.\n`);
        return 0;
      }),
    );
}
