import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { readEnvironment, storeOptionsOf } from '../config/environment';
import type { LinkConfig } from '../config/link-config';
import { readLinkSource } from '../queue/intake/link-source';
import { writeYearArchive, verifyYearArchive, yearJournalTables, type JournalFile } from '../export';
import { EjsyncError, type EntityCollection } from '../model';
import { openStore, SecretBox, type Actor, type Store } from '../store';
import type { CommandIo } from './command-runner';
import { resolveLink } from './resolve-link';
import { cliActor } from './run-commands';

/** A written year archive: its file, manifest, and how many class × subject tables it holds. */
export interface WrittenYearArchive {
  file: string;
  manifest: Awaited<ReturnType<typeof writeYearArchive>>;
  journalTables: number;
}

/**
 * Writes the signed archive of one academic year of a link — every mark and absence of the export
 * (each saying whether it reached the journal), the delivery log and the id map — to `outDir`, and
 * audits it. Reads the link's newest uploaded export, else its `source.path`.
 */
export async function writeLinkYearArchive(store: Store, box: SecretBox, link: LinkConfig, yearName: string, outDir: string, actor: Actor): Promise<WrittenYearArchive> {
  const read = await readLinkSource(store, link);
  if (!read.snapshot) throw new EjsyncError('delivery.source_unreadable', { detail: link.source.path });
  const year = read.snapshot.academicYears.find((y) => y.name === yearName);
  if (!year) throw new EjsyncError('period.unknown', { detail: `учебного года ${yearName} нет в выгрузке (есть: ${read.snapshot.academicYears.map((y) => y.name).join(', ') || 'нет'})` });
  const idMap = await store.idMap.all(link.id);
  const delivered = new Map<EntityCollection, Set<string>>();
  for (const r of idMap) (delivered.get(r.entity) ?? delivered.set(r.entity, new Set()).get(r.entity)!).add(r.sourceId);
  const journal = yearJournalTables(read.snapshot, year, (entity, id) => delivered.get(entity)?.has(id) ?? false);
  const from = new Date(`${year.startDate}T00:00:00Z`);
  const to = new Date(Date.parse(`${year.endDate}T00:00:00Z`) + 2 * 86_400_000);
  const log = await store.deliveries.forLink(link.id, { from, to });
  const tables: JournalFile[] = [
    {
      path: 'Журнал доставки.csv',
      rows: [
        ['Запуск', 'Изменение', 'Вид записей', 'Действие', 'Идентификатор в МИС', 'Идентификатор на платформе', 'Попытка', 'Итог', 'Код ответа', 'Код ошибки', 'Начало', 'Окончание'],
        ...log.map((d) => [d.runId, d.changeId, d.entity, d.operation, d.sourceId, d.targetId ?? '', d.attempt, d.outcome, d.status ?? '', d.errorCode ?? '', d.createdAt.toISOString(), d.finishedAt?.toISOString() ?? '']),
      ],
    },
    { path: 'Соответствие идентификаторов.csv', rows: [['Вид записей', 'Идентификатор в МИС', 'Идентификатор на платформе', 'Как сопоставлено'], ...idMap.map((r) => [r.entity, r.sourceId, r.targetId, r.matchedBy])] },
  ];
  await mkdir(outDir, { recursive: true });
  const file = path.resolve(outDir, `ejsync-year-${link.id}-${year.name.replace('/', '-')}.zip`);
  const manifest = await writeYearArchive(file, { school: { sourceId: read.snapshot.school.sourceId, name: read.snapshot.school.name }, linkId: link.id, year, journal, tables, createdAt: new Date(), key: box.deriveKey('year-archive'), keyId: box.keyId });
  await store.audit.append({ ...actor, action: 'archive.year_created', objectType: 'archive', objectId: path.basename(file), schoolId: link.school.sourceId, details: { year: year.name, files: manifest.files.length, chain: manifest.chain } });
  return { file, manifest, journalTables: journal.length };
}

/** `ejsync archive year --link L --year 2026/2027 --out DIR`: the closed year's journal, signed. */
export async function runArchiveYear(opts: { link: string; year: string; out: string; json?: boolean }, io: CommandIo): Promise<number> {
  const box = SecretBox.fromEnvironment();
  const store = await openStore({ ...storeOptionsOf(readEnvironment()), secretBox: box });
  try {
    const link = await resolveLink(store, opts.link);
    const { file, manifest, journalTables } = await writeLinkYearArchive(store, box, link, opts.year, opts.out, cliActor());
    if (opts.json) io.stdout.write(`${JSON.stringify({ file, manifest })}\n`);
    else io.stdout.write(`Архив ${manifest.year.name} учебного года создан: ${file}\nФайлов: ${manifest.files.length} (классов и предметов: ${journalTables}). Цепочка сумм: ${manifest.chain}\n`);
    return 0;
  } finally {
    await store.close();
  }
}

/** `ejsync archive verify FILE`: exit 0 only for an intact archive (signature checked when the key is set). */
export async function runArchiveVerify(file: string, io: CommandIo): Promise<number> {
  const box = process.env.EJSYNC_SECRET_KEY ? SecretBox.fromEnvironment() : undefined;
  try {
    const { manifest, signatureChecked } = await verifyYearArchive(path.resolve(file), box ? { key: box.deriveKey('year-archive'), keyId: box.keyId } : undefined);
    io.stdout.write(`ЦЕЛ: архив ${manifest.year.name} учебного года (${manifest.school.name}), файлов ${manifest.files.length}, создан ${manifest.createdAt}.${signatureChecked ? ' Подпись проверена.' : ' Подпись не проверена: не задан EJSYNC_SECRET_KEY установки.'}\n`);
    return 0;
  } catch (error) {
    if (!(error instanceof EjsyncError)) throw error;
    io.stdout.write(`ПОВРЕЖДЁН: [${error.code}] ${error.message}\n`);
    return 1;
  }
}
