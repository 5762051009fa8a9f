import { existsSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { generateSchool } from '../../../src/connectors/demo-school';
import { openBundle } from '../../../src/connectors/file-bundle';
import { ONEROSTER_CARRIED, OneRosterTarget, readOneRoster } from '../../../src/connectors/oneroster';
import { ENTITY_ORDER, SnapshotCollector, type ResolvedChange, type School, type Snapshot } from '../../../src/model';

const SCOPE = { schoolId: 'school-x', from: '2000-01-01', to: '2100-01-01' };
const sorted = <T extends { sourceId: string }>(list: T[]): T[] => [...list].sort((a, b) => a.sourceId.localeCompare(b.sourceId));

async function generated(): Promise<Snapshot> {
  const c = new SnapshotCollector();
  await generateSchool(c, { pupils: 30, seed: 'oneroster-target', weeks: 1 });
  return c.snapshot();
}

function creates(s: Snapshot): ResolvedChange[] {
  return ENTITY_ORDER.filter((e) => ONEROSTER_CARRIED.includes(e)).flatMap((entity) =>
    (s[entity] as { sourceId: string }[]).map((r) => ({ id: `${entity}-${r.sourceId}`, entity, op: 'create' as const, sourceId: r.sourceId, after: r as never })),
  );
}

describe('OneRoster target: a folder of bulk and delta bundles', () => {
  let root: string;
  let school: School;
  beforeEach(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-oneroster-target-'));
  });
  afterEach(() => rm(root, { recursive: true, force: true }));

  it('delivers a school, reads it back the same, and a one-pupil change is a delta bundle of that pupil row (with its role row)', async () => {
    const source = await generated();
    school = { sourceId: 'school-x', name: 'Школа', timeZone: source.school.timeZone };
    const dir = path.join(root, 'out');
    const target = new OneRosterTarget({ dir, school, lingerMs: 10_000 });
    expect((await target.readSnapshot(SCOPE)).snapshot.pupils).toEqual([]);
    await Promise.all(creates(source).map((c) => target.apply(c)));
    // Acknowledged deliveries wait in the journal; a read writes them out first.
    expect(existsSync(path.join(dir, '.journal.ndjson'))).toBe(true);
    const read = await target.readSnapshot(SCOPE);
    expect(read.findings).toEqual([]);
    for (const entity of ONEROSTER_CARRIED) expect({ entity, records: sorted(read.snapshot[entity] as { sourceId: string }[]) }).toEqual({ entity, records: sorted(source[entity] as { sourceId: string }[]) });
    expect(existsSync(path.join(dir, '.journal.ndjson'))).toBe(false);
    const bulkRows = target.writes;
    expect(bulkRows).toBeGreaterThan(source.pupils.length);

    const pupil = source.pupils[3];
    const renamed = { ...pupil, lastName: 'Новикова-Петрова' };
    await target.apply({ id: 'u1', entity: 'pupils', op: 'update', sourceId: pupil.sourceId, targetId: pupil.sourceId, before: pupil, after: renamed });
    // The pupil's row, and its role row that says it is a pupil.
    expect(await target.flush()).toBe(2);
    const deltas = (await readdir(path.join(dir, 'deltas'))).sort();
    expect(deltas).toHaveLength(2);
    const delta = path.join(dir, 'deltas', deltas[1]);
    expect((await readdir(delta)).sort()).toEqual(['manifest.csv', 'roles.csv', 'users.csv']);
    const manifest = await readFile(path.join(delta, 'manifest.csv'), 'utf8');
    expect(manifest).toContain('file.users,delta');
    expect(manifest).toContain('file.enrollments,absent');
    const bundle = await openBundle(delta);
    const deltaRead = await readOneRoster(bundle, { school });
    await bundle.close();
    expect(deltaRead.mode).toBe('delta');
    expect(deltaRead.findings).toEqual([]);
    // demographics.csv did not change: the delta leaves birth date and sex as the receiver has them.
    const { birthDate: _b, sex: _s, ...named } = renamed;
    expect(deltaRead.snapshot!.pupils).toEqual([named]);
    expect(deltaRead.rejectedFields?.pupils?.[pupil.sourceId]).toEqual(expect.arrayContaining(['birthDate', 'sex']));
    expect(await target.readBack({ id: 'u1', entity: 'pupils', op: 'update', sourceId: pupil.sourceId, targetId: pupil.sourceId })).toEqual(renamed);

    // A removed membership is a tobedeleted row.
    const m = source.memberships[0];
    await target.apply({ id: 'a1', entity: 'memberships', op: 'archive', sourceId: m.sourceId, targetId: m.sourceId, before: m });
    expect(await target.flush()).toBe(1);
    const last = (await readdir(path.join(dir, 'deltas'))).sort().at(-1)!;
    expect(await readFile(path.join(dir, 'deltas', last, 'enrollments.csv'), 'utf8')).toMatch(new RegExp(`\\r\\n${m.sourceId},tobedeleted,\\d{4}-`));
    expect(await target.findExisting({ id: 'x', entity: 'memberships', op: 'create', sourceId: m.sourceId })).toBeNull();
    // Nothing pending: no empty bundle.
    expect(await target.flush()).toBe(0);
  });

  it('a journal left by a crash is replayed by the next process, never lost', async () => {
    const source = await generated();
    school = { sourceId: 'school-x', name: 'Школа', timeZone: source.school.timeZone };
    const dir = path.join(root, 'out');
    const first = new OneRosterTarget({ dir, school, lingerMs: 10_000 });
    const some = creates(source).filter((c) => ['academicYears', 'subjects', 'staff', 'pupils'].includes(c.entity));
    for (const c of some) await first.apply(c);
    // The process dies before the journal is written out; a second connector finds it.
    const second = new OneRosterTarget({ dir, school });
    expect(await second.findExisting(some.at(-1)!)).toBe(some.at(-1)!.sourceId);
    const read = await second.readSnapshot(SCOPE);
    expect(read.snapshot.pupils).toHaveLength(source.pupils.length);
    expect(read.snapshot.staff).toHaveLength(source.staff.length);
    // The first connector, were it still alive, finds nothing left to write.
    expect(await first.flush()).toBe(0);
  });

  it('uploads each delta bundle over HTTP as a ZIP the OneRoster reader takes', async () => {
    const received: { headers: Record<string, string | string[] | undefined>; body: Buffer }[] = [];
    const server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        received.push({ headers: req.headers, body: Buffer.concat(chunks) });
        res.writeHead(202).end();
      });
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
    try {
      school = { sourceId: 'school-x', name: 'Школа', timeZone: 'Asia/Yekaterinburg' };
      const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/bundles`;
      const target = new OneRosterTarget({ dir: path.join(root, 'up'), school, uploadUrl: url, uploadToken: 'tok-123' });
      expect(target.baseUrl).toBe(url);
      await target.apply({ id: 'y', entity: 'academicYears', op: 'create', sourceId: 'y', after: { sourceId: 'y', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' } });
      expect(await target.flush()).toBeGreaterThan(0);
      expect(received).toHaveLength(1);
      expect(received[0].headers).toMatchObject({ 'content-type': 'application/zip', authorization: 'Bearer tok-123' });
      expect(String(received[0].headers['x-oneroster-bundle'])).toMatch(/^000001-/);
      const zip = path.join(root, 'received.zip');
      await writeFile(zip, received[0].body);
      const bundle = await openBundle(zip);
      const read = await readOneRoster(bundle, { school });
      await bundle.close();
      expect(read.mode).toBe('delta');
      expect(read.snapshot!.academicYears.map((y) => y.sourceId)).toEqual(['y']);
    } finally {
      await new Promise((r) => server.close(r));
    }
  });

  it('refuses what OneRoster does not carry, an unwritable folder and a refused upload with catalogue codes', async () => {
    school = { sourceId: 'school-x', name: 'Школа', timeZone: 'Asia/Yekaterinburg' };
    const target = new OneRosterTarget({ dir: path.join(root, 'ok'), school });
    await expect(target.apply({ id: 'l', entity: 'lessons', op: 'create', sourceId: 'l1', after: {} as never })).rejects.toMatchObject({ code: 'oneroster.not_carried' });

    const file = path.join(root, 'a-file');
    await writeFile(file, 'x');
    const blocked = new OneRosterTarget({ dir: file, school });
    await expect(blocked.apply({ id: 'y', entity: 'academicYears', op: 'create', sourceId: 'y', after: { sourceId: 'y', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' } })).rejects.toMatchObject({ code: 'oneroster.target_unwritable', retryable: true });

    const uploading = new OneRosterTarget({ dir: path.join(root, 'up'), school, uploadUrl: 'http://127.0.0.1:9/bundles', uploadTimeoutMs: 2000 });
    await uploading.apply({ id: 'y', entity: 'academicYears', op: 'create', sourceId: 'y', after: { sourceId: 'y', name: '2026/2027', startDate: '2026-09-01', endDate: '2027-08-31' } });
    await expect(uploading.flush()).rejects.toMatchObject({ code: 'oneroster.upload_failed' });
    // The journal is kept: the next flush sends it again.
    expect(existsSync(path.join(root, 'up', '.journal.flushing.ndjson'))).toBe(true);
  });
});
