import type { Snapshot } from '../../../src/model';
import { countBy, startCliStand, type CliProcess, type CliStand, type Journal } from '../../helpers/cli-stand';

/**
 * The school's second export: some marks changed, one graded work removed (with its marks), one
 * absence turned into an illness, one absence removed.
 */
function editSource(source: Snapshot): { edited: Snapshot; removedWork: string } {
  const s = structuredClone(source);
  const graded = countBy(s.marks.filter((m) => m.workId), (m) => m.workId!);
  // A work with two or three marks: its removal stays under the guard's 10 % archive threshold.
  const removedWork = Object.keys(graded).find((w) => graded[w] >= 2 && graded[w] <= 3)!;
  s.works = s.works.filter((w) => w.sourceId !== removedWork);
  s.marks = s.marks.filter((m) => m.workId !== removedWork);
  let changed = 0;
  for (const m of s.marks) {
    if (changed >= 6 || !/^[2-5]$/.test(m.value)) continue;
    m.value = m.value === '5' ? '3' : '5';
    changed++;
  }
  const absences = s.attendance.filter((a) => a.status === 'absent');
  absences[0].status = 'ill';
  s.attendance = s.attendance.filter((a) => a !== absences[1]);
  return { edited: s, removedWork };
}

const diff = (a: string[], b: string[]) => ({ missing: a.filter((x) => !b.includes(x)), extra: b.filter((x) => !a.includes(x)) });

/**
 * `ejsync rollback RUN2` puts the journal back where RUN1 left it: a sync, an edited export, a
 * second sync (updates and archives), then the rollback through a worker process — works, marks
 * and attendance on the emulator equal those after RUN1 by natural key and value, and what could
 * not be inverted is listed. Built CLI, real Redis (own prefix), real PostgreSQL (own schema).
 */
describe('rollback restores the emulator (built CLI)', () => {
  let stand: CliStand;
  let worker: CliProcess;

  beforeAll(async () => {
    stand = await startCliStand({ pupils: 20, seed: 'rollback' });
    worker = await stand.startWorker(['--no-schedules']);
  });
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stand?.close();
  });

  const sync = async () => {
    const result = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    expect(result.stderr).not.toContain('запускаю обработчик');
    return JSON.parse(result.stdout).runs[0] as { id: string; status: string; writes: number };
  };

  it('sync, edit, sync, rollback RUN2: the journal equals the one after RUN1', async () => {
    const run1 = await sync();
    expect(run1.status).toBe('succeeded');
    const afterRun1: Journal = stand.journal();
    expect(afterRun1.marks.length).toBeGreaterThan(20);

    const { edited } = editSource(stand.source);
    await stand.writeSource(edited);
    const run2 = await sync();
    expect(run2.status).toBe('succeeded');
    const changes2 = await stand.store.changes.list(run2.id);
    // The second run updated marks and attendance and archived a work, its marks and an absence.
    expect(countBy(changes2, (c) => `${c.entity}/${c.op}`)).toEqual({ 'marks/update': 6, 'marks/archive': expect.any(Number), 'works/archive': 1, 'attendance/update': 1, 'attendance/archive': 1 });
    const afterRun2 = stand.journal();
    expect(afterRun2).not.toEqual(afterRun1);
    expect(afterRun2.works).toHaveLength(afterRun1.works.length - 1);

    const rollback = await stand.cli(['rollback', run2.id]);
    expect(rollback.code).toBe(0);
    const undoId = /Откат запуска \S+ начат: запуск (run-[0-9a-f-]+)\./.exec(rollback.stdout)?.[1];
    expect(undoId).toBeDefined();
    const undo = await stand.waitForRun(undoId!, ['succeeded', 'partial', 'failed']);

    // What could not be undone, if anything, is listed: in the command's output and as findings of the rollback run.
    const shown = JSON.parse((await stand.cli(['run', 'show', undoId!, '--json'])).stdout) as { findings: { code: string }[]; failed: { entity: string; op: string; code: string }[] };
    const notInvertible = shown.findings.filter((f) => f.code === 'delivery.not_invertible');
    expect(rollback.stdout.includes('Нельзя откатить автоматически')).toBe(notInvertible.length > 0);
    expect({ status: undo.status, failed: shown.failed, notInvertible }).toEqual({ status: 'succeeded', failed: [], notInvertible: [] });

    // The journal is back: every work, mark and absence of RUN1 by natural key and value.
    const restored = stand.journal();
    expect(diff(afterRun1.works, restored.works)).toEqual({ missing: [], extra: [] });
    expect(diff(afterRun1.marks, restored.marks)).toEqual({ missing: [], extra: [] });
    expect(diff(afterRun1.attendance, restored.attendance)).toEqual({ missing: [], extra: [] });
    expect((await stand.store.runs.require(run2.id)).status).toBe('rolled_back');

    // The platform now differs from the edited export by exactly RUN2's changes: a new plan redoes them.
    const replan = JSON.parse((await stand.cli(['plan', '--link', stand.linkFile, '--json', '--no-report'])).stdout).runs[0];
    expect(replan.changes).toBe(changes2.length);
  }, 180_000);

  it('what cannot be undone (no logged before-value) is listed and left as it is; the rest is undone', async () => {
    // The edited export is synced again (RUN2 was rolled back): RUN3 redoes RUN2's changes.
    const beforeRun3 = stand.journal();
    const run3 = await sync();
    expect(run3.status).toBe('succeeded');
    const afterRun3 = stand.journal();
    // One of RUN3's mark updates lost its logged before-value (as from a log kept without one).
    const [lost] = (await stand.store.changes.list(run3.id, { status: 'applied' })).filter((c) => c.entity === 'marks' && c.op === 'update');
    await stand.store.db.updateTable('run_changes').set({ before: null }).where('run_id', '=', run3.id).where('change_id', '=', lost.changeId).execute();

    const rollback = await stand.cli(['rollback', run3.id]);
    expect(rollback.code).toBe(0);
    expect(rollback.stdout).toContain('Нельзя откатить автоматически (1) — верните вручную:');
    expect(rollback.stdout).toContain(`Изменение нельзя откатить автоматически: marks update ${lost.sourceId}`);
    const undoId = /Откат запуска \S+ начат: запуск (run-[0-9a-f-]+)\./.exec(rollback.stdout)![1];
    const undo = await stand.waitForRun(undoId, ['succeeded', 'partial', 'failed']);
    // Not everything was undone: the rollback says so and does not end «успешно».
    expect(undo.status).toBe('partial');
    const shown = JSON.parse((await stand.cli(['run', 'show', undoId, '--json'])).stdout) as { findings: { code: string; sourceId?: string; entity?: string }[] };
    expect(shown.findings.filter((f) => f.code === 'delivery.not_invertible')).toEqual([expect.objectContaining({ entity: 'marks', sourceId: lost.sourceId })]);
    expect((await stand.store.runs.require(run3.id)).status).toBe('succeeded');

    // Everything else is back as before RUN3; that one mark keeps RUN3's value.
    const restored = stand.journal();
    expect(restored.works).toEqual(beforeRun3.works);
    expect(restored.attendance).toEqual(beforeRun3.attendance);
    const kept = diff(beforeRun3.marks, restored.marks);
    expect(kept.missing).toHaveLength(1);
    expect(kept.extra).toHaveLength(1);
    expect(afterRun3.marks).toContain(kept.extra[0]);
  }, 180_000);
});
