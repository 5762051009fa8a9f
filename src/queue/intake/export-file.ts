import { createHash } from 'node:crypto';
import { createReadStream, createWriteStream } from 'node:fs';
import { mkdtemp, readdir, rm, stat } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import yazl from 'yazl';
import { hasZipSignature, readFileHead } from '../../connectors/file-bundle';
import type { ExportFormat } from '../../store';

/** Every member of a zipped folder gets this time, so the same folder zips to the same bytes (and hash). */
const FIXED_MTIME = new Date('2000-01-01T00:00:00Z');

/** A file of an export ready to keep: a ZIP or JSON file as it came, or a folder zipped. */
export interface ExportFile {
  file: string;
  /** The name it is kept under (`<folder>.zip` for a folder). */
  fileName: string;
  /** Removes what was made for it (a temporary ZIP); the caller's own file is left alone. */
  cleanup(): Promise<void>;
}

/** A temporary folder of this process, removed by the returned function. */
export async function tempFolder(prefix = 'ejsync-export-'): Promise<{ dir: string; remove(): Promise<void> }> {
  const dir = await mkdtemp(path.join(os.tmpdir(), prefix));
  return { dir, remove: () => rm(dir, { recursive: true, force: true }) };
}

async function filesUnder(dir: string, base = dir): Promise<string[]> {
  const out: string[] = [];
  for (const entry of (await readdir(dir, { withFileTypes: true })).sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0))) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...(await filesUnder(full, base)));
    else if (entry.isFile()) out.push(path.relative(base, full));
  }
  return out;
}

/** Zips a folder (files in name order, fixed times: the same folder gives the same bytes). */
export async function zipFolder(dir: string, target: string): Promise<void> {
  const zip = new yazl.ZipFile();
  for (const rel of await filesUnder(dir)) zip.addFile(path.join(dir, rel), rel.split(path.sep).join('/'), { mtime: FIXED_MTIME, mode: 0o100644 });
  zip.end();
  await pipeline(zip.outputStream, createWriteStream(target));
}

/** An export at `input` (folder, ZIP or JSON file) as one file to keep. */
export async function exportFileOf(input: string): Promise<ExportFile> {
  const info = await stat(input);
  if (!info.isDirectory()) return { file: input, fileName: path.basename(input), cleanup: async () => undefined };
  const temp = await tempFolder();
  const fileName = `${path.basename(path.resolve(input))}.zip`;
  const file = path.join(temp.dir, fileName);
  try {
    await zipFolder(input, file);
  } catch (error) {
    await temp.remove();
    throw error;
  }
  return { file, fileName, cleanup: temp.remove };
}

/** SHA-256 (hex) and size of a file, streamed. */
export async function hashFile(file: string): Promise<{ sha256: string; size: number }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of createReadStream(file)) {
    hash.update(chunk as Buffer);
    size += (chunk as Buffer).length;
  }
  return { sha256: hash.digest('hex'), size };
}

/** How a file is kept: ZIP by its signature, else JSON (the only other single-file export). */
export async function exportFormatOf(file: string): Promise<ExportFormat> {
  return hasZipSignature(await readFileHead(file, 4)) ? 'zip' : 'json';
}
