import { mkdtemp, readdir, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { main } from '../../../src/cli/main';
import { generateSchool } from '../../../src/connectors/demo-school';
import { createMisCsvWriter } from '../../../src/connectors/mis-csv';
import { ONEROSTER_CARRIED } from '../../../src/connectors/oneroster';
import { readSource } from '../../../src/connectors/read-source';
import { ENTITY_ORDER, type Snapshot } from '../../../src/model';

const sorted = <T extends { sourceId: string }>(list: T[]): T[] => [...list].sort((a, b) => a.sourceId.localeCompare(b.sourceId));

/** Runs `ejsync …` in this process; returns the exit code and what it printed. */
async function ejsync(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const o = jest.spyOn(process.stdout, 'write').mockImplementation((c) => ((out += String(c)), true));
  const e = jest.spyOn(process.stderr, 'write').mockImplementation((c) => ((err += String(c)), true));
  process.exitCode = 0;
  try {
    await main(['node', 'ejsync', ...args]);
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
  const code = Number(process.exitCode ?? 0);
  process.exitCode = 0;
  return { code, out, err };
}

async function writeMis(snapshot: Snapshot, dir: string): Promise<void> {
  const sink = await createMisCsvWriter(dir);
  await sink.school(snapshot.school);
  for (const c of ENTITY_ORDER) for (const r of snapshot[c]) await sink.add(c, r as never);
  await sink.close();
}

describe('ejsync export --format oneroster', () => {
  let root: string;
  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-export-'));
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  it('writes an МИС export as a OneRoster bundle that reads back to the same school, and a delta for a one-pupil change', async () => {
    const mis = path.join(root, 'mis');
    await generateSchool(await createMisCsvWriter(mis), { pupils: 40, seed: 'export', weeks: 1 });
    const source = (await readSource(mis)).snapshot!;

    const bulk = path.join(root, 'bulk');
    const done = await ejsync('export', '--format', 'oneroster', '--from', mis, '--to', bulk);
    expect(done).toMatchObject({ code: 0, err: '' });
    expect(done.out).toMatch(/Полный пакет OneRoster 1\.2 записан: .*обучающихся: 40/);
    expect(done.out).toMatch(/В OneRoster нет места для: .*уроки \(\d+\)/);
    const back = await readSource(bulk);
    expect(back.findings).toEqual([]);
    expect(back.snapshot!.school).toEqual(source.school);
    for (const entity of ONEROSTER_CARRIED) {
      expect({ entity, records: sorted(back.snapshot![entity] as { sourceId: string }[]) }).toEqual({ entity, records: sorted(source[entity] as { sourceId: string }[]) });
    }

    // The next day's export changes one pupil: --since writes just that.
    const changed = { ...source, pupils: source.pupils.map((p, i) => (i === 0 ? { ...p, firstName: 'Василиса' } : p)) };
    const mis2 = path.join(root, 'mis2');
    await writeMis(changed, mis2);
    const delta = path.join(root, 'delta');
    const d = await ejsync('export', '--from', mis2, '--since', bulk, '--to', delta, '--json');
    expect(d.code).toBe(0);
    expect(JSON.parse(d.out)).toMatchObject({ mode: 'delta', rows: 2 });
    expect((await readdir(delta)).sort()).toEqual(['manifest.csv', 'roles.csv', 'users.csv']);
    const read = await readSource(delta, { school: { sourceId: source.school.sourceId, timeZone: source.school.timeZone } });
    expect(read.mode).toBe('delta');
    expect(read.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(read.snapshot!.pupils.map((p) => [p.sourceId, p.firstName])).toEqual([[source.pupils[0].sourceId, 'Василиса']]);
  });

  it('refuses unclear options with exit 2', async () => {
    expect((await ejsync('export', '--to', path.join(root, 'x'))).code).toBe(2);
    expect(await ejsync('export', '--format', 'csv', '--from', root, '--to', path.join(root, 'x'))).toMatchObject({ code: 2, err: expect.stringContaining('поддерживается только oneroster') });
  });
});
