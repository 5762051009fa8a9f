import { createReadStream } from 'node:fs';
import { open, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import yauzl from 'yauzl';
import { EjsyncError } from '../../model';
import { formatBytes, inputLimits, type InputLimits } from './input-limits';

export interface BundleEntry {
  /** File name inside the bundle, as written (folders flattened to their base name). */
  name: string;
  /** Where the file is: its name in a folder, its path in an archive. */
  path: string;
  /** Bytes (unpacked, for an archive entry). */
  size: number;
}

/** One file name that stands for several files of the bundle. */
export interface DuplicateName {
  /** The name in lower case. */
  name: string;
  /** Where each file is: its name in a folder, its path in an archive. */
  paths: string[];
}

/** A folder or a ZIP archive of export files, read the same way. */
export interface FileBundle {
  readonly kind: 'folder' | 'zip';
  readonly path: string;
  /** One entry per name (the first by path when a name is taken twice: see `duplicates`). */
  readonly entries: readonly BundleEntry[];
  /**
   * Names taken by more than one file, compared case-insensitively and, in an archive, across its
   * folders (`pupils.csv` and `Pupils.csv`, `2025/pupils.csv` and `pupils.csv`): which of them is
   * the export's is unknown, so a reader must not use either.
   */
  readonly duplicates: readonly DuplicateName[];
  /** The limits this bundle is read under. */
  readonly limits: InputLimits;
  /** Looks an entry up by name, case-insensitively. */
  find(name: string): BundleEntry | undefined;
  /** Opens an entry's bytes; `input.too_large` when the entry is larger than `limits.maxFileBytes`. */
  open(entry: BundleEntry): Promise<Readable>;
  close(): Promise<void>;
}

/** Entries by lower-cased name, the duplicates among them, and a name finder. */
function index<T extends BundleEntry>(found: T[]): { entries: T[]; duplicates: DuplicateName[]; find: (name: string) => T | undefined } {
  found.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const byLower = new Map<string, T[]>();
  for (const e of found) {
    const key = e.name.toLowerCase();
    const list = byLower.get(key);
    if (list) list.push(e);
    else byLower.set(key, [e]);
  }
  const entries = [...byLower.values()].map((list) => list[0]).sort((a, b) => a.name.localeCompare(b.name));
  const duplicates = [...byLower].filter(([, list]) => list.length > 1).map(([name, list]) => ({ name, paths: list.map((e) => e.path) }));
  return { entries, duplicates, find: (name) => byLower.get(name.toLowerCase())?.[0] };
}

/** Refuses an entry larger than a file may be, before it is opened. */
function checkSize(entry: BundleEntry, limits: InputLimits): void {
  if (entry.size > limits.maxFileBytes) throw new EjsyncError('input.too_large', { detail: `${formatBytes(entry.size)}, допустимо не более ${formatBytes(limits.maxFileBytes)}` });
}

/** Opens a folder (top level only) as a bundle. */
async function openFolder(dir: string, limits: InputLimits): Promise<FileBundle> {
  const names = await readdir(dir, { withFileTypes: true });
  const found: BundleEntry[] = [];
  for (const d of names) {
    if (!d.isFile() || d.name.startsWith('.')) continue;
    found.push({ name: d.name, path: d.name, size: (await stat(path.join(dir, d.name))).size });
  }
  const { entries, duplicates, find } = index(found);
  return {
    kind: 'folder',
    path: dir,
    entries,
    duplicates,
    limits,
    find,
    open: async (entry) => {
      checkSize(entry, limits);
      return createReadStream(path.join(dir, entry.name));
    },
    close: async () => {},
  };
}

function openZipFile(file: string): Promise<yauzl.ZipFile> {
  return new Promise((resolve, reject) => {
    yauzl.open(file, { lazyEntries: true, autoClose: false, decodeStrings: true }, (err, zip) => (err ? reject(err) : resolve(zip!)));
  });
}

/** Opens a ZIP archive; entries in sub-folders are addressed by their base name. */
async function openZip(file: string, limits: InputLimits): Promise<FileBundle> {
  let zip: yauzl.ZipFile;
  try {
    zip = await openZipFile(file);
  } catch (cause) {
    throw new EjsyncError('input.broken_zip', { cause, detail: path.basename(file) });
  }
  const tooMany = () => new EjsyncError('input.zip_too_many_entries', { detail: `${zip.entryCount}, допустимо не более ${limits.maxZipEntries}` });
  if (zip.entryCount > limits.maxZipEntries) {
    zip.close();
    throw tooMany();
  }
  const raw = new Map<BundleEntry, yauzl.Entry>();
  let unpacked = 0;
  try {
    await new Promise<void>((resolve, reject) => {
      let seen = 0;
      zip.on('entry', (entry: yauzl.Entry) => {
        // The directory's count can lie: every entry read counts, folders and skipped files too.
        if (++seen > limits.maxZipEntries) return reject(tooMany());
        const base = entry.fileName.split('/').pop() ?? '';
        if (!entry.fileName.endsWith('/') && base && !base.startsWith('.') && !entry.fileName.startsWith('__MACOSX/')) {
          raw.set({ name: base, path: entry.fileName, size: entry.uncompressedSize }, entry);
          unpacked += entry.uncompressedSize;
          if (unpacked > limits.maxZipBytes) {
            return reject(new EjsyncError('input.zip_too_large', { detail: `более ${formatBytes(limits.maxZipBytes)} после распаковки` }));
          }
        }
        zip.readEntry();
      });
      zip.on('end', () => resolve());
      zip.on('error', reject);
      zip.readEntry();
    });
  } catch (cause) {
    zip.close();
    if (cause instanceof EjsyncError) throw cause;
    throw new EjsyncError('input.broken_zip', { cause, detail: path.basename(file) });
  }
  const { entries, duplicates, find } = index([...raw.keys()]);
  return {
    kind: 'zip',
    path: file,
    entries,
    duplicates,
    limits,
    find,
    open: (entry) =>
      new Promise((resolve, reject) => {
        const z = raw.get(entry);
        if (!z) return reject(new RangeError(`no entry ${entry.path}`));
        try {
          checkSize(entry, limits);
        } catch (error) {
          return reject(error);
        }
        zip.openReadStream(z, (err, stream) => {
          if (err) return reject(new EjsyncError('input.broken_zip', { cause: err, detail: entry.path }));
          // A damaged entry fails while it is read (a bad checksum, more bytes than declared): with a code too.
          const out = new PassThrough();
          stream!.on('error', (cause) => out.destroy(new EjsyncError('input.broken_zip', { cause, detail: entry.path })));
          out.once('close', () => stream!.destroy());
          resolve(stream!.pipe(out));
        });
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
 * Opens a folder or a ZIP archive, to be read under `limits` (the defaults where not given).
 * Throws `input.not_found` for a missing path, `input.broken_zip` for an unreadable archive, and
 * `input.zip_too_many_entries` or `input.zip_too_large` for an archive over the limits (a zip
 * bomb is refused from its directory, before anything is unpacked).
 */
export async function openBundle(target: string, limits: Partial<InputLimits> = {}): Promise<FileBundle> {
  let info;
  try {
    info = await stat(target);
  } catch (cause) {
    throw new EjsyncError('input.not_found', { cause, detail: target });
  }
  if (info.isDirectory()) return openFolder(target, inputLimits(limits));
  return openZip(target, inputLimits(limits));
}
