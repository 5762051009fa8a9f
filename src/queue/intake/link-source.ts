import { constants } from 'node:fs';
import { access, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { LinkConfig } from '../../config/link-config';
import type { Logger } from '../../config/logger';
import { readSource } from '../../connectors/read-source';
import { makeFinding, type SourceReadResult } from '../../model';
import { exportRefOf, type ExportRef, type Store } from '../../store';
import { tempFolder } from './export-file';

/** A link's export as read for planning, and which kept export it was (none: `source.path` was read). */
export type LinkSourceRead = SourceReadResult & { sourceExport?: ExportRef };

/**
 * Reads a link's export for planning: the newest export kept in the store for the link (uploaded
 * from anywhere — no file on this host is needed), else the link's `source.path` on this host.
 */
export async function readLinkSource(store: Store, link: LinkConfig): Promise<LinkSourceRead> {
  const newest = await store.exports.newest(link.id);
  if (!newest) return readSource(link.source.path, { school: link.school });
  const content = await store.exports.content(link.id, newest.sha256);
  // Purged between the two reads (retention): nothing to plan from but the path.
  if (!content) return readSource(link.source.path, { school: link.school });
  const temp = await tempFolder('ejsync-plan-');
  try {
    const file = path.join(temp.dir, newest.format === 'zip' ? 'export.zip' : 'export.json');
    await writeFile(file, content);
    return { ...(await readSource(file, { school: link.school })), sourceExport: exportRefOf(newest) };
  } finally {
    await temp.remove();
  }
}

/**
 * What a worker checks of the registered links when it starts: a link with no export kept in the
 * store is planned from its `source.path`, which must be readable on this host. Each unreadable
 * path is logged (a warning naming the link and the path) and returned.
 */
export async function checkSourcePaths(store: Store, logger: Pick<Logger, 'warn'>): Promise<{ linkId: string; path: string }[]> {
  const problems: { linkId: string; path: string }[] = [];
  for (const record of await store.links.list()) {
    const link = record.config as LinkConfig;
    if (record.paused || (await store.exports.newest(record.id))) continue;
    const sourcePath = link.source?.path;
    if (!sourcePath) continue;
    try {
      await access(sourcePath, constants.R_OK);
    } catch {
      const finding = makeFinding('intake.source_path_unreadable', { detail: `связь ${record.id}: ${sourcePath}` });
      logger.warn({ linkId: record.id, path: sourcePath, code: finding.code }, `${finding.message}. ${finding.hint}`);
      problems.push({ linkId: record.id, path: sourcePath });
    }
  }
  return problems;
}
