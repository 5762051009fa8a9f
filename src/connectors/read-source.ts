import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isEjsyncError, makeFinding, type ErrorCode, type SourceReadResult } from '../model';
import { hasZipSignature, openBundle, readFileHead, type FileBundle, type InputLimits } from './file-bundle';
import { looksLikeMisCsv, readMisCsv, readMisJson } from './mis-csv';
import { looksLikeOneRoster, readOneRoster, type ReadOneRosterOptions } from './oneroster';

/** What the caller knows of the school, for formats that may not say it themselves. */
export interface ReadSourceOptions {
  /**
   * The school the export must be of (`ejsync validate --school ID`): in a OneRoster district
   * package the school of that sourcedId is read, and a package without orgs.csv (a delta) is
   * read as that school's.
   * @defaultValue none: the package's only school
   */
  schoolSourcedId?: string;
  /**
   * A link's school: used when a OneRoster package names no school (a delta without orgs.csv) or
   * several; its time zone is the default where the package gives none.
   * @defaultValue none
   */
  school?: { sourceId: string; timeZone: string };
  /**
   * Limits the export is read under (line length, columns, file and archive sizes, JSON nesting).
   * @defaultValue `DEFAULT_INPUT_LIMITS` for every limit not given
   */
  limits?: Partial<InputLimits>;
}

function oneRosterOptions(options: ReadSourceOptions): ReadOneRosterOptions {
  const known = options.school ?? (options.schoolSourcedId !== undefined ? { sourceId: options.schoolSourcedId, timeZone: undefined } : undefined);
  return {
    ...(options.schoolSourcedId !== undefined ? { schoolSourcedId: options.schoolSourcedId } : {}),
    ...(known?.timeZone ? { timeZone: known.timeZone } : {}),
    // The Snapshot needs a school record; a package without orgs.csv tells only its id.
    ...(known ? { school: { sourceId: known.sourceId, name: known.sourceId, timeZone: known.timeZone ?? 'Europe/Moscow' } } : {}),
  };
}

function unreadable(code: ErrorCode, detail: string, file?: string): SourceReadResult {
  return { format: null, snapshot: null, findings: [makeFinding(code, { detail, ...(file ? { file } : {}) })], counts: {} };
}

/**
 * Reads a school's export whatever its form: a folder or ZIP of МИС CSV files, a МИС JSON
 * document, or a OneRoster 1.1/1.2 bundle. Never throws for bad input: an unreadable input comes back
 * with `snapshot: null` and one finding that says why (`validate` exits with status 2).
 */
export async function readSource(target: string, options: ReadSourceOptions = {}): Promise<SourceReadResult> {
  let info;
  try {
    info = await stat(target);
  } catch {
    return unreadable('input.not_found', target);
  }
  if (info.isFile()) {
    const name = path.basename(target);
    if (info.size === 0) return unreadable('input.empty', name, name);
    const head = await readFileHead(target, 64 * 1024);
    const text = head.toString('utf8').replace(/^\uFEFF/, '').trimStart();
    if (name.toLowerCase().endsWith('.json') || text.startsWith('{')) return readMisJson(target, { limits: options.limits });
    if (!hasZipSignature(head)) {
      if (name.toLowerCase().endsWith('.zip')) return unreadable('input.broken_zip', name, name);
      if (head.includes(0)) return unreadable('input.binary_file', name, name);
      return unreadable('input.unknown_format', name, name);
    }
  }
  let bundle: FileBundle;
  try {
    bundle = await openBundle(target, options.limits);
  } catch (error) {
    if (isEjsyncError(error)) return unreadable(error.code, error.detail ?? '', path.basename(target));
    throw error;
  }
  try {
    if (!bundle.entries.length) return unreadable('input.empty', target);
    // Two files for one name: which is the export's is unknown, and neither may be used.
    const duplicates = bundle.duplicates.filter((d) => /\.(csv|json)$/.test(d.name));
    if (duplicates.length) {
      return { format: null, snapshot: null, findings: duplicates.map((d) => makeFinding('input.duplicate_file', { file: d.name, detail: d.paths.join(', ') })), counts: {} };
    }
    if (looksLikeOneRoster(bundle)) return await readOneRoster(bundle, oneRosterOptions(options));
    if (looksLikeMisCsv(bundle)) return await readMisCsv(bundle);
    return unreadable('input.unknown_format', `${target}: ${bundle.entries.slice(0, 5).map((e) => e.name).join(', ')}`);
  } finally {
    await bundle.close();
  }
}
