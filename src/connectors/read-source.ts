import { stat } from 'node:fs/promises';
import path from 'node:path';
import { isEjsyncError, makeFinding, type ErrorCode, type SourceReadResult } from '../model';
import { hasZipSignature, openBundle, readFileHead, type FileBundle } from './file-bundle';
import { looksLikeMisCsv, readMisCsv, readMisJson } from './mis-csv';
import { looksLikeOneRoster, readOneRoster } from './oneroster';

function unreadable(code: ErrorCode, detail: string, file?: string): SourceReadResult {
  return { format: null, snapshot: null, findings: [makeFinding(code, { detail, ...(file ? { file } : {}) })], counts: {} };
}

/**
 * Reads a school's export whatever its form: a folder or ZIP of МИС CSV files, a МИС JSON
 * document, or a OneRoster 1.2 bundle. Never throws for bad input: an unreadable input comes back
 * with `snapshot: null` and one finding that says why (`validate` exits with status 2).
 */
export async function readSource(target: string): Promise<SourceReadResult> {
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
    if (name.toLowerCase().endsWith('.json') || text.startsWith('{')) return readMisJson(target);
    if (!hasZipSignature(head)) {
      if (name.toLowerCase().endsWith('.zip')) return unreadable('input.broken_zip', name, name);
      if (head.includes(0)) return unreadable('input.binary_file', name, name);
      return unreadable('input.unknown_format', name, name);
    }
  }
  let bundle: FileBundle;
  try {
    bundle = await openBundle(target);
  } catch (error) {
    if (isEjsyncError(error)) return unreadable(error.code, error.message, path.basename(target));
    throw error;
  }
  try {
    if (!bundle.entries.length) return unreadable('input.empty', target);
    if (looksLikeOneRoster(bundle)) return await readOneRoster(bundle);
    if (looksLikeMisCsv(bundle)) return await readMisCsv(bundle);
    return unreadable('input.unknown_format', `${target}: ${bundle.entries.slice(0, 5).map((e) => e.name).join(', ')}`);
  } finally {
    await bundle.close();
  }
}
