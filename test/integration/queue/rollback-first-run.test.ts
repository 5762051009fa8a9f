import type { EmulatorState } from '../../../src/connectors/dnevnik/emulator';
import { countBy, startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

/**
 * Everything the emulated platform holds, record by record, keyed as the platform keys it: works by
 * id, marks by pupil/work, attendance entries by lesson/pupil, lessons by id, group members.
 */
function platformState(state: EmulatorState) {
  const records = <T>(map: Map<string, T>) => JSON.parse(JSON.stringify([...map.entries()].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)))) as [string, T][];
  return {
    works: records(state.works),
    marks: records(state.marks),
    attendance: records(state.entries),
    lessons: records(state.lessons),
    members: records(state.membersByGroup),
  };
}

/**
 * Issue 18, point 9: undoing a first migration. The demo's school synced into an onboarded
 * Дневник.ру emulator, then `ejsync rollback RUN1` through a worker process: the emulator holds
 * exactly what it held before RUN1 — not one work, mark or absence left — and every undo was read
 * back. A second rollback of the same run is refused. Built CLI, real Redis, real PostgreSQL.
 */
describe('rollback of a first migration (built CLI, emulator)', () => {
  let stand: CliStand;
  let worker: CliProcess;

  beforeAll(async () => {
    stand = await startCliStand({ pupils: 20, seed: 'rollback-first' });
    worker = await stand.startWorker(['--no-schedules']);
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stand?.close();
  });

  it('rollback of RUN1 leaves the emulator exactly as before RUN1; a second rollback is refused', async () => {
    const before = platformState(stand.emulator.state);
    expect(before.works).toHaveLength(0);

    const synced = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    const run1 = JSON.parse(synced.stdout).runs[0] as { id: string; status: string; writes: number };
    expect(run1.status).toBe('succeeded');
    const created = countBy(await stand.store.changes.list(run1.id, { status: 'applied' }), (c) => `${c.entity}/${c.op}`);
    expect(created['works/create']).toBeGreaterThan(5);
    expect(created['marks/create']).toBeGreaterThan(20);
    expect(created['attendance/create']).toBeGreaterThan(5);
    expect(platformState(stand.emulator.state)).not.toEqual(before);

    const rollback = await stand.cli(['rollback', run1.id]);
    expect({ code: rollback.code, stderr: rollback.stderr }).toEqual({ code: 0, stderr: '' });
    const undoId = /Откат запуска \S+ начат: запуск (run-[0-9a-f-]+)\./.exec(rollback.stdout)![1];
    const undo = await stand.waitForRun(undoId, ['succeeded', 'partial', 'failed']);
    const shown = JSON.parse((await stand.cli(['run', 'show', undoId, '--json'])).stdout) as { findings: { code: string }[]; failed: unknown[] };
    expect({ status: undo.status, failed: shown.failed, findings: shown.findings }).toEqual({ status: 'succeeded', failed: [], findings: [] });

    // Record by record, the platform is as it was before the first migration.
    expect(platformState(stand.emulator.state)).toEqual(before);
    // Every undo was a real delete by the platform's ids (no "already gone" shortcut) and was read back.
    const undoLog = await stand.store.deliveries.forRun(undoId);
    const deliveredUndos = undoLog.filter((a) => a.outcome === 'succeeded');
    expect(deliveredUndos).toHaveLength(Object.values(created).reduce((a, b) => a + b, 0));
    expect(deliveredUndos.filter((a) => a.status === 404 || a.path === '(запись уже удалена)')).toEqual([]);
    expect((await stand.store.runs.require(run1.id)).status).toBe('rolled_back');

    // Once only.
    const again = await stand.cli(['rollback', run1.id]);
    expect(again.code).not.toBe(0);
    expect(again.stderr).toContain('[rollback.already_rolled_back]');
    expect(again.stderr).toContain(undoId);
    expect(platformState(stand.emulator.state)).toEqual(before);
  }, 240_000);
});
