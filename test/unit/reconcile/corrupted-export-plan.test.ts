import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { defaultPolicy, type Policy } from '../../../src/config/policy';
import { generateSchool, SeededRandom } from '../../../src/connectors/demo-school';
import { createMisCsvWriter, createMisJsonWriter } from '../../../src/connectors/mis-csv';
import { readSource } from '../../../src/connectors/read-source';
import { isErrorCode, type Snapshot, type SourceReadResult } from '../../../src/model';
import { guard, idMapFromEntries, plan, sourceGapsOf, type IdMapView } from '../../../src/reconcile';
import { csvCorruptions, jsonCorruptions, jsonTextOf, type Corruption } from '../../helpers/export-corruptions';
import { fullCapabilities, mirror } from './helpers/fixtures';

/**
 * The property behind issue 18: for any export mutated by a corruption, the plan contains no
 * archive and no update of a record the corruption touched — and, since the platform mirrors the
 * clean export, no archive or update at all — and the run does not go ahead by default.
 */
describe('a corrupted export never removes or changes what the journal holds', () => {
  let root: string;
  let cleanCsv: string;
  let cleanJson: string;
  let target: Snapshot;
  let idMap: IdMapView;
  let periods: Snapshot['periods'];
  const now = '2026-11-20T10:00:00+05:00';
  const capabilities = fullCapabilities();

  beforeAll(async () => {
    root = await mkdtemp(path.join(os.tmpdir(), 'ejsync-corrupt-'));
    cleanCsv = path.join(root, 'clean');
    cleanJson = path.join(root, 'clean.json');
    await generateSchool(await createMisCsvWriter(cleanCsv), { pupils: 40, seed: 'corrupt', weeks: 1 });
    await generateSchool(createMisJsonWriter(cleanJson), { pupils: 40, seed: 'corrupt', weeks: 1 });
    const clean = await readSource(cleanCsv);
    expect(clean.findings).toEqual([]);
    const mirrored = mirror(clean.snapshot!);
    target = mirrored.target;
    idMap = idMapFromEntries(mirrored.entries);
    periods = clean.snapshot!.periods;
    const again = plan(clean.snapshot!, target, idMap, { capabilities, gaps: sourceGapsOf(clean) });
    expect(again.changes).toEqual([]);
    const fromJson = await readSource(cleanJson);
    expect(fromJson.findings).toEqual([]);
    expect(plan(fromJson.snapshot!, target, idMap, { capabilities, gaps: sourceGapsOf(fromJson) }).changes).toEqual([]);
  });
  afterAll(() => rm(root, { recursive: true, force: true }));

  function check(read: SourceReadResult, touched: Corruption['touched'], policy: Policy) {
    const errors = read.findings.filter((f) => f.severity === 'error');
    expect(errors.length).toBeGreaterThan(0);
    for (const f of read.findings) {
      expect(isErrorCode(f.code)).toBe(true);
      expect(f.message).toMatch(/[А-Яа-яЁё]/);
    }
    if (!read.snapshot) return 'unreadable';
    const planned = plan(read.snapshot, target, idMap, { capabilities, gaps: sourceGapsOf(read) });
    const guarded = guard(planned, { periods, policy, now, timeZone: 'Asia/Yekaterinburg', sourceFindings: read.findings, sourceGaps: sourceGapsOf(read) });
    const isTouched = (entity: string, sourceId: string) =>
      touched.collections.includes(entity as never) || touched.records.some((r) => r.entity === entity && r.sourceId === sourceId);
    const harmful = [...guarded.plan.changes, ...guarded.plan.manualActions].filter((c) => c.op !== 'create');
    expect(harmful.filter((c) => isTouched(c.entity, c.sourceId)).map((c) => `${c.entity} ${c.op} ${c.sourceId}`)).toEqual([]);
    expect(harmful.map((c) => `${c.entity} ${c.op} ${c.sourceId}`)).toEqual([]);
    return guarded.decision;
  }

  const policies: [string, Policy][] = [
    ['hold (default)', defaultPolicy()],
    ['deliver_valid', { ...defaultPolicy(), sourceErrors: 'deliver_valid' }],
  ];
  const noWindows = (p: Policy): Policy => ({ ...p, additionsOnly: { ...p.additionsOnly, windows: [] } });

  const csv = csvCorruptions();
  it('has at least 60 CSV and 60 JSON corruptions', () => {
    expect(csv.length).toBeGreaterThanOrEqual(60);
    expect(jsonCorruptions().length).toBeGreaterThanOrEqual(60);
  });

  it.each(csv.map((c, i) => [c.name, i] as const))('МИС CSV — %s', async (_name, i) => {
    const dir = path.join(root, `csv-${i}`);
    await cp(cleanCsv, dir, { recursive: true });
    const touched = await csv[i].apply(dir, new SeededRandom(`csv-${i}`));
    const read = await readSource(dir);
    for (const [label, policy] of policies) {
      const decision = check(read, touched, noWindows(policy));
      if (label.startsWith('hold')) expect(['hold', 'refuse', 'unreadable']).toContain(decision);
    }
  });

  const json = jsonCorruptions();
  it.each(json.map((c, i) => [c.name, i] as const))('МИС JSON — %s', async (_name, i) => {
    const doc = JSON.parse(await readFile(cleanJson, 'utf8')) as Record<string, unknown>;
    const touched = json[i].apply(doc, new SeededRandom(`json-${i}`));
    const file = path.join(root, `json-${i}.json`);
    await writeFile(file, jsonTextOf(json[i], doc));
    const read = await readSource(file);
    for (const [label, policy] of policies) {
      const decision = check(read, touched, noWindows(policy));
      if (label.startsWith('hold')) expect(['hold', 'refuse', 'unreadable']).toContain(decision);
    }
  });

  it.each(Array.from({ length: 12 }, (_, k) => [k]))('three random CSV corruptions at once (seed %i)', async (k) => {
    const rng = new SeededRandom(`combo-${k}`);
    const dir = path.join(root, `combo-${k}`);
    await cp(cleanCsv, dir, { recursive: true });
    const touched: Corruption['touched'] = { records: [], collections: [] };
    for (let n = 0; n < 3; n++) {
      const t = await rng.pick(csv).apply(dir, rng).catch(() => ({ records: [], collections: [] }));
      touched.records.push(...t.records);
      touched.collections.push(...t.collections);
    }
    const read = await readSource(dir);
    for (const [, policy] of policies) check(read, touched, noWindows(policy));
  });
});
