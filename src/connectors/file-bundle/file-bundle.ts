import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { EjsyncError } from '../../model';

export interface BundleEntry {
  /** File name inside the bundle, as written (folders flattened to their base name). */
  name: string;
  size: number;
}

/** A folder or a ZIP archive of export files, read the same way. */
export interface FileBundle {
  readonly kind: 'folder' | 'zip';
  readonly path: string;
  readonly entries: readonly BundleEntry[];
  /** Looks an entry up by name, case-insensitively. */
  find(name: string): BundleEntry | undefined;
  open(entry: BundleEntry): Promise<Readable>;
  close(): Promise<void>;
}

function finder(entries: readonly BundleEntry[]) {
  const byLower = new Map(entries.map((e) => [e.name.toLowerCase(), e]));
  return (name: string) => byLower.get(name.toLowerCase());
}

/** Opens a folder (top level only) as a bundle. */
async function openFolder(dir: string): Promise<FileBundle> {
  const names = await readdir(dir, { withFileTypes: true });
  const entries: BundleEntry[] = [];
  for (const d of names) {
    if (!d.isFile() || d.name.startsWith('.')) continue;
    entries.push({ name: d.name, size: (await stat(path.join(dir, d.name))).size });
  }
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return {
    kind: 'folder',
    path: dir,
    entries,
    find: finder(entries),
    open: async (entry) => createReadStream(path.join(dir, entry.name)),
    close: async () => {},
  };
}

function openZipFile(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true }, (err, zip) => (err ? reject(err) : resolve(zip!)));
  });
}

/** Opens a ZIP archive; entries in sub-folders are addressed by their base name. */
async function openZip(file: string): Promise<FileBundle> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZipFile(file);
  } catch (cause) {
    throw new EjsyncError('input.broken_zip', { cause, detail: path.basename(file) });
  }
  const raw = new Map<string, yauzl.Entry>();
  try {
    await new Promise<void>((resolve, reject) => {
      zip.on('entry', (entry: yauzl.Entry) => {
        const base = entry.fileName.split('/').pop() ?? '';
        if (!entry.fileName.endsWith('/') && base && !base.startsWith('.') && !entry.fileName.startsWith('__MACOSX/')) {
          if (!raw.has(base)) raw.set(base, entry);
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (cause) {
    zip.close();
    throw new EjsyncError('input.broken_zip', { cause, detail: path.basename(file) });
  }
  const entries = [...raw.values()].map((e) => ({ name: e.fileName.split('/').pop()!, size: e.uncompressedSize }));
  entries.sort((a, b) => a.name.localeCompare(b.name));
  return {
    kind: 'zip',
    path: file,
    entries,
    find: finder(entries),
    open: (entry) =>
      new Promise((resolve, reject) => {
        const z = raw.get(entry.name);
        if (!z) return reject(new RangeError(`no entry ${entry.name}`));
        zip.openReadStream(z, (err, stream) => (err ? reject(new EjsyncError('input.broken_zip', { cause: err, detail: entry.name })) : resolve(stream!)));
      }),
    close: async () => zip.close(),
  };
}

/** The first `n` bytes of a file (fewer when it is shorter). */
export async function readFileHead(file: string, n: number): Promise<Buffer> {
  const fh = await open(file, 'r');
  try {
    const buf = Buffer.alloc(n);
    const { bytesRead } = await fh.read(buf, 0, n, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** True when the bytes start with the ZIP local-header signature. */
export function hasZipSignature(head: Buffer): boolean {
  return head.length >= 4 && head.readUInt32LE(0) === 0x04034b50;
}

/** True when the file starts with the ZIP local-header signature. */
export async function isZipFile(file: string): Promise<boolean> {
  return hasZipSignature(await readFileHead(file, 4));
}

/**
 * Opens a folder or a ZIP archive. Throws `input.not_found` for a missing path and
 * `input.broken_zip` for an unreadable archive.
 */
export async function openBundle(target: string): Promise<FileBundle> {
  let info;
  try {
    info = await stat(target);
  } catch (cause) {
    throw new EjsyncError('input.not_found', { cause, detail: target });
  }
  if (info.isDirectory()) return openFolder(target);
  return openZip(target);
}
