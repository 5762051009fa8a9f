import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

type SyncedRun = { id: string; status: string; writes: number };

/** Dated reads the emulator answered: lessons, marks, attendance of a group. */
const DATED_READ = /^\/v2\/(edu-groups\/(\d+)\/(lessons|marks)\/|lesson-log-entries\/group\/(\d+))/;

/**
 * Issue 14 pt 8: an unchanged nightly run reads no dated record from Дневник.ру — only the days
 * whose МИС records changed since the last clean run, each class on its own — and a full
 * reconciliation still comes when it is due. Built CLI, worker process, emulator, real Redis and
 * PostgreSQL.
 */
describe('nightly sync reads only what changed (built CLI, emulator)', () => {
  let stand: CliStand;
  let worker: CliProcess;

  beforeAll(async () => {
    stand = await startCliStand({ pupils: 40, seed: 'incremental-nightly' });
    worker = await stand.startWorker(['--no-schedules']);
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stand?.close();
  });

  const sync = async (): Promise<SyncedRun> => {
    const out = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    expect(out.code).toBe(0);
    return JSON.parse(out.stdout).runs[0] as SyncedRun;
  };
  const datedReadOf = async (runId: string) => (await stand.store.runs.require(runId)).summary.datedRead as Record<string, unknown>;
  const requestsDuring = async (fn: () => Promise<SyncedRun>) => {
    stand.emulator.state.requests.length = 0;
    const run = await fn();
    return { run, requests: stand.emulator.state.requests.map((r) => `${r.method} ${r.path}`) };
  };

  it('first run reads everything; an unchanged night reads no dated record; a changed mark reads its class only', async () => {
    const classes = stand.platform.classes.length;
    const first = await requestsDuring(sync);
    expect(first.run).toMatchObject({ status: 'succeeded' });
    expect(first.run.writes).toBeGreaterThan(50);
    expect(await datedReadOf(first.run.id)).toMatchObject({ mode: 'full', reason: 'first' });
    const firstDated = first.requests.filter((r) => DATED_READ.test(r.slice(4)));
    expect(firstDated.length).toBeGreaterThanOrEqual(3 * classes);

    // Nothing changed in the МИС: no lesson, mark or attendance read; about one request per class in all.
    const unchanged = await requestsDuring(sync);
    expect(unchanged.run).toMatchObject({ status: 'succeeded', writes: 0 });
    expect(await datedReadOf(unchanged.run.id)).toMatchObject({ mode: 'incremental', classes: 0, changedDays: 0 });
    expect(unchanged.requests.filter((r) => DATED_READ.test(r.slice(4)))).toEqual([]);
    expect(unchanged.requests.length).toBeLessThanOrEqual(2 * classes + 15);

    // One mark changes in the МИС: its class is read on that day only, and the mark is updated.
    const marksFile = path.join(stand.exportDir, 'marks.csv');
    const lines = readFileSync(marksFile, 'utf8').split('\n');
    const header = lines[0].split(';');
    const valueAt = header.indexOf('value');
    const groupAt = header.indexOf('group_id');
    expect(valueAt).toBeGreaterThan(-1);
    const row = lines.findIndex((l, i) => i > 0 && l.split(';')[valueAt] === '5');
    const cells = lines[row].split(';');
    cells[valueAt] = '3';
    lines[row] = cells.join(';');
    writeFileSync(marksFile, lines.join('\n'));
    const changed = await requestsDuring(sync);
    expect(changed.run).toMatchObject({ status: 'succeeded', writes: 1 });
    expect(await datedReadOf(changed.run.id)).toMatchObject({ mode: 'incremental', classes: 1, changedDays: 1 });
    const groupsRead = new Set(changed.requests.map((r) => DATED_READ.exec(r.slice(4))).filter((m) => m !== null).map((m) => m![2] ?? m![4]));
    expect(groupsRead.size).toBeGreaterThanOrEqual(1);
    const classOfMark = stand.source.classes.find((c) => c.sourceId === cells[groupAt]) ?? stand.source.subgroups.find((g) => g.sourceId === cells[groupAt]);
    expect(classOfMark).toBeDefined();
    // Only the changed class (and its subgroups) is read: fewer dated reads than one per class.
    expect(groupsRead.size).toBeLessThan(classes);
    const applied = await stand.store.changes.list(changed.run.id, { status: 'applied' });
    expect(applied.map((c) => `${c.entity}/${c.op}`)).toEqual(['marks/update']);

    // Nothing changed since: nothing read again.
    const quiet = await requestsDuring(sync);
    expect(quiet.run).toMatchObject({ status: 'succeeded', writes: 0 });
    expect(quiet.requests.filter((r) => DATED_READ.test(r.slice(4)))).toEqual([]);
  }, 300_000);

  it('with reconcile.fullEveryDays 0 every run reads everything again', async () => {
    const link = JSON.parse(readFileSync(stand.linkFile, 'utf8')) as Record<string, unknown>;
    writeFileSync(stand.linkFile, JSON.stringify({ ...link, reconcile: { fullEveryDays: 0 } }, null, 2));
    const run = await requestsDuring(sync);
    expect(run.run).toMatchObject({ status: 'succeeded', writes: 0 });
    expect(await datedReadOf(run.run.id)).toMatchObject({ mode: 'full', reason: 'always' });
    expect(run.requests.filter((r) => DATED_READ.test(r.slice(4))).length).toBeGreaterThanOrEqual(3 * stand.platform.classes.length);
  }, 120_000);
});
