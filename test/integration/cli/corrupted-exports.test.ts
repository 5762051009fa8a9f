import { cp, readFile, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { SeededRandom } from '../../../src/connectors/demo-school';
import { createMisJsonWriter } from '../../../src/connectors/mis-csv';
import { ENTITY_ORDER } from '../../../src/model';
import { csvCorruptions, jsonCorruptions, jsonTextOf } from '../../helpers/export-corruptions';
import { startCliStand, type CliProcess, type CliResult, type CliStand, type Journal } from '../../helpers/cli-stand';

/**
 * Issue 18, "done when": every corruption of the generated school's export (CSV and JSON) goes
 * through `ejsync validate` and `ejsync sync` (a worker process, the Дневник.ру emulator, real Redis
 * and PostgreSQL) with the link set to deliver what is valid — the most permissive policy — and:
 * every corruption yields a coded finding, no output carries a stack trace, no process runs out of
 * its memory cap (256 MB heap), and the platform receives not one write that deletes or changes
 * anything: the journal stays exactly as the clean sync left it.
 */
describe('corrupted exports never delete or change the journal (built CLI, emulator)', () => {
  let stand: CliStand;
  let worker: CliProcess;
  let cleanCsv: string;
  let cleanJournal: Journal;
  const limits = { NODE_OPTIONS: '--max-old-space-size=256' };

  const STACK = /\n\s+at .+\(.+:\d+:\d+\)|TypeError|ReferenceError|RangeError|Maximum call stack/;
  const expectNoStack = (r: CliResult) => {
    expect(r.stdout).not.toMatch(STACK);
    expect(r.stderr).not.toMatch(STACK);
  };

  async function setLinkSource(sourcePath: string) {
    const link = JSON.parse(await readFile(stand.linkFile, 'utf8'));
    link.source.path = sourcePath;
    link.policy = { ...link.policy, sourceErrors: 'deliver_valid' };
    await writeFile(stand.linkFile, JSON.stringify(link, null, 2));
  }

  /** Writes since `from` that are not reads: what a corrupted export must never cause. */
  const writesSince = (from: number) => stand.emulator.state.writes.slice(from).map((w) => `${w.op} ${w.entity} ${w.id}`);

  async function validateAndSync(exportPath: string, name: string) {
    const validate = await stand.cli(['validate', exportPath, '--json'], limits);
    expectNoStack(validate);
    expect({ name, code: validate.code }).toEqual({ name, code: expect.any(Number) });
    expect([1, 2]).toContain(validate.code);
    const report = JSON.parse(validate.stdout) as { findings: { code: string; severity: string; message: string }[] };
    expect(report.findings.some((f) => f.severity === 'error' && /^[a-z]+\.[a-z_]+$/.test(f.code) && /[А-Яа-я]/.test(f.message))).toBe(true);

    const before = stand.emulator.state.writes.length;
    const sync = await stand.cli(['sync', '--link', stand.linkFile, '--json'], limits);
    expectNoStack(sync);
    expect({ name, writes: writesSince(before).filter((w) => !w.startsWith("create")) }).toEqual({ name, writes: [] });
    expect({ name, writes: writesSince(before) }).toEqual({ name, writes: [] });
    expect(stand.journal()).toEqual(cleanJournal);
    return sync;
  }

  beforeAll(async () => {
    stand = await startCliStand({ pupils: 20, seed: 'corruptions' });
    worker = await stand.startWorker(['--no-schedules'], limits);
    cleanCsv = path.join(stand.home, 'clean-export');
    await cp(stand.exportDir, cleanCsv, { recursive: true });
    await setLinkSource('./export');
    const first = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    expect(JSON.parse(first.stdout).runs[0].status).toBe('succeeded');
    cleanJournal = stand.journal();
    expect(cleanJournal.marks.length).toBeGreaterThan(10);
  }, 180_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stand?.close();
  });

  const csv = csvCorruptions();
  it.each(csv.map((c, i) => [c.name, i] as const))('CSV — %s', async (name, i) => {
    await rm(stand.exportDir, { recursive: true, force: true });
    await cp(cleanCsv, stand.exportDir, { recursive: true });
    await csv[i].apply(stand.exportDir, new SeededRandom(`it-csv-${i}`));
    await validateAndSync(stand.exportDir, name);
  });

  describe('МИС JSON', () => {
    let cleanJson: string;
    beforeAll(async () => {
      cleanJson = path.join(stand.home, 'clean.json');
      const writer = createMisJsonWriter(cleanJson);
      await writer.school(stand.source.school);
      for (const e of ENTITY_ORDER) for (const r of stand.source[e]) await writer.add(e, r as never);
      await writer.close();
      await setLinkSource('./export.json');
      await cp(cleanJson, path.join(stand.home, 'export.json'));
      const before = stand.emulator.state.writes.length;
      const same = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
      expect(JSON.parse(same.stdout).runs[0].status).toBe('succeeded');
      expect(writesSince(before)).toEqual([]);
    }, 120_000);

    const json = jsonCorruptions();
    it.each(json.map((c, i) => [c.name, i] as const))('JSON — %s', async (name, i) => {
      const doc = JSON.parse(await readFile(cleanJson, 'utf8')) as Record<string, unknown>;
      json[i].apply(doc, new SeededRandom(`it-json-${i}`));
      const file = path.join(stand.home, 'export.json');
      await writeFile(file, jsonTextOf(json[i], doc));
      await validateAndSync(file, name);
    });
  });
});
