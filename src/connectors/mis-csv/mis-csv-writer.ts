import { stringify, type Stringifier } from 'csv-stringify';
import iconv from 'iconv-lite';
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import path from 'node:path';
import { finished } from 'node:stream/promises';
import type { EntityCollection, EntityRecord, School, SnapshotSink } from '../../model';
import { formatCell } from './format-cell';
import { MIS_FILES, type FileSpec } from './file-specs';

/** How `createMisCsvWriter` writes files. */
export interface MisCsvWriterOptions {
  /** Column separator. @defaultValue `;` (what Russian Excel opens directly) */
  delimiter?: ';' | ',';
  /** @defaultValue `utf-8` (with a BOM so that Excel recognises it) */
  encoding?: 'utf-8' | 'windows-1251';
}

interface OpenFile {
  spec: FileSpec;
  csv: Stringifier;
  done: Promise<void>;
}

/**
 * Writes a stream of canonical records as ejsync's МИС CSV export into `dir`, one file per
 * collection (only files that get records, plus school.csv). Streams with back-pressure, so a
 * 100,000-pupil school never sits in memory.
 */
export async function createMisCsvWriter(dir: string, options: MisCsvWriterOptions = {}): Promise<SnapshotSink> {
  const delimiter = options.delimiter ?? ';';
  const encoding = options.encoding ?? 'utf-8';
  await mkdir(dir, { recursive: true });
  const open = new Map<string, OpenFile>();

  function fileFor(collection: EntityCollection | 'school'): OpenFile {
    let file = open.get(collection);
    if (file) return file;
    const spec = MIS_FILES.find((f) => f.collection === collection)!;
    const out = createWriteStream(path.join(dir, spec.file));
    const csv = stringify({ delimiter, header: true, columns: spec.columns.map((c) => c.column), bom: encoding === 'utf-8', record_delimiter: 'windows' });
    if (encoding !== 'utf-8') csv.setEncoding('utf8');
    const encoded = encoding === 'utf-8' ? csv : csv.pipe(iconv.encodeStream('win1251'));
    encoded.pipe(out);
    file = { spec, csv, done: finished(out) };
    open.set(collection, file);
    return file;
  }

  function write(collection: EntityCollection | 'school', record: Record<string, unknown>): void | Promise<void> {
    const file = fileFor(collection);
    const row = file.spec.columns.map((c) => formatCell(c.type, record[c.field]));
    if (!file.csv.write(row)) return new Promise((resolve) => file.csv.once('drain', () => resolve()));
  }

  return {
    school: (school: School) => write('school', school),
    add: <K extends EntityCollection>(collection: K, record: EntityRecord<K>) => write(collection, record as Record<string, unknown>),
    async close() {
      for (const file of open.values()) file.csv.end();
      await Promise.all([...open.values()].map((f) => f.done));
    },
  };
}
