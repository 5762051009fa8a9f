import { parse } from 'csv-parse/sync';
import { stringify } from 'csv-stringify/sync';
import { existsSync } from 'node:fs';
import { mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import yazl from 'yazl';
import { ENTITY_ORDER, type Snapshot } from '../../model';
import { MANIFEST_FILE } from './manifest';
import { createOneRosterWriter } from './one-roster-writer';

/** Writes a whole Snapshot as a OneRoster 1.2 bulk bundle in `dir` (see `createOneRosterWriter`). */
export async function writeOneRosterBulk(snapshot: Snapshot, dir: string): Promise<void> {
  const sink = await createOneRosterWriter(dir);
  await sink.school(snapshot.school);
  for (const collection of ENTITY_ORDER) for (const record of snapshot[collection]) await sink.add(collection, record as never);
  await sink.close();
}

type Rows = { header: string[]; byId: Map<string, string[]> };

async function rowsOf(file: string): Promise<Rows | null> {
  if (!existsSync(file)) return null;
  const [header = [], ...rows] = parse(await readFile(file), { bom: true, relax_column_count: true }) as string[][];
  return { header, byId: new Map(rows.map((r) => [r[0], r])) };
}

/** What {@link writeOneRosterDelta} wrote: rows per file (changed or new, and `tobedeleted`). */
export interface DeltaSummary {
  rows: number;
  files: Record<string, { active: number; deleted: number }>;
}

/**
 * The delta bundle that takes a receiver from bulk bundle `before` (absent: nothing) to bulk
 * bundle `after`, written into `out`: each data file with its new or changed rows as `active`
 * and the rows gone as `tobedeleted` (sourcedId only), `dateLastModified` = `modifiedAt`; a file
 * with no change is declared `absent`. Rows are compared cell by cell, so the delta holds
 * what changed — and the roles.csv rows of a changed user, which say what the user is. Returns the summary; `rows: 0` when the bundles are the same (nothing
 * is written then).
 */
export async function writeOneRosterDelta(before: string | null, after: string, out: string, modifiedAt: Date): Promise<DeltaSummary> {
  const stamp = modifiedAt.toISOString().replace(/\.\d{3}Z$/, 'Z');
  const manifest = parse(await readFile(path.join(after, MANIFEST_FILE)), { bom: true }) as string[][];
  const summary: DeltaSummary = { rows: 0, files: {} };
  const outputs = new Map<string, string>();
  const files = new Map<string, { now: Rows; rows: string[][] }>();
  for (const name of (await readdir(after)).filter((f) => f.endsWith('.csv') && f !== MANIFEST_FILE).sort()) {
    const now = (await rowsOf(path.join(after, name)))!;
    const old = before ? await rowsOf(path.join(before, name)) : null;
    const statusAt = now.header.indexOf('status');
    const modifiedAtCol = now.header.indexOf('dateLastModified');
    const rows: string[][] = [];
    let active = 0;
    let deleted = 0;
    for (const [id, row] of now.byId) {
      const was = old?.byId.get(id);
      if (was && was.join('\u0000') === row.join('\u0000')) continue;
      const copy = [...row];
      copy[statusAt] = 'active';
      copy[modifiedAtCol] = stamp;
      rows.push(copy);
      active++;
    }
    for (const id of old?.byId.keys() ?? []) {
      if (now.byId.has(id)) continue;
      const gone = now.header.map(() => '');
      gone[0] = id;
      gone[statusAt] = 'tobedeleted';
      gone[modifiedAtCol] = stamp;
      rows.push(gone);
      deleted++;
    }
    summary.files[name] = { active, deleted };
    files.set(name, { now, rows });
  }
  // A user's roles go with the user: a receiver (ejsync's reader too) cannot tell a pupil from a
  // teacher by a users.csv row alone. They are sent again unchanged, as `active`.
  const users = files.get('users.csv');
  const roles = files.get('roles.csv');
  if (users && roles) {
    const changed = new Set(users.rows.filter((r) => r[users.now.header.indexOf('status')] === 'active').map((r) => r[0]));
    const sent = new Set(roles.rows.map((r) => r[0]));
    const userAt = roles.now.header.indexOf('userSourcedId');
    for (const [id, row] of roles.now.byId) {
      if (sent.has(id) || !changed.has(row[userAt])) continue;
      const copy = [...row];
      copy[roles.now.header.indexOf('status')] = 'active';
      copy[roles.now.header.indexOf('dateLastModified')] = stamp;
      roles.rows.push(copy);
      summary.files['roles.csv'].active++;
    }
  }
  for (const [name, { now, rows }] of files) {
    if (!rows.length) {
      delete summary.files[name];
      continue;
    }
    summary.rows += rows.length;
    outputs.set(name, stringify([now.header, ...rows], { record_delimiter: 'windows' }));
  }
  if (summary.rows === 0) return summary;
  await mkdir(out, { recursive: true });
  for (const [name, text] of outputs) await writeFile(path.join(out, name), text);
  const declared = manifest.slice(1).map(([key, value]) => {
    if (!key.startsWith('file.')) return [key, value];
    return [key, outputs.has(`${key.slice('file.'.length)}.csv`) ? 'delta' : 'absent'];
  });
  await writeFile(path.join(out, MANIFEST_FILE), stringify([manifest[0], ...declared], { record_delimiter: 'windows' }));
  return summary;
}

/** The files of a bundle folder as one ZIP (for an HTTP upload). */
export async function zipBundle(dir: string): Promise<Buffer> {
  const zip = new yazl.ZipFile();
  for (const name of (await readdir(dir)).sort()) zip.addBuffer(await readFile(path.join(dir, name)), name, { mtime: new Date('2000-01-01T00:00:00Z') });
  zip.end();
  const chunks: Buffer[] = [];
  for await (const chunk of zip.outputStream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}
