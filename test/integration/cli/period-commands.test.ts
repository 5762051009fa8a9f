import { startCliStand, type CliProcess, type CliStand } from '../../helpers/cli-stand';

/**
 * `ejsync period close|reopen|list` (issue 13, periods): a period closed in ejsync freezes its
 * marks — a changed mark is held back as `period.closed`, nothing is sent, the run is not clean —
 * and reopening lets the change go. Built CLI, worker process, emulator, real Redis and PostgreSQL.
 */
describe('closing a reporting period in ejsync (built CLI)', () => {
  let stand: CliStand;
  let worker: CliProcess;
  beforeAll(async () => {
    stand = await startCliStand({ pupils: 20, seed: 'periods' });
    worker = await stand.startWorker(['--no-schedules']);
  }, 120_000);
  afterAll(async () => {
    worker?.child.kill('SIGTERM');
    await worker?.exited;
    await stand?.close();
  });

  const sync = async () => {
    const r = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    return JSON.parse(r.stdout).runs[0] as { id: string; status: string; writes: number };
  };

  it('close → a changed mark is held back and the run is not clean; reopen → it goes', async () => {
    expect((await sync()).status).toBe('succeeded');
    const edited = structuredClone(stand.source);
    const mark = edited.marks.find((m) => /^[2-4]$/.test(m.value))!;
    mark.value = String(Number(mark.value) + 1);
    const period = edited.periods.find((p) => mark.date >= p.startDate && mark.date <= p.endDate && !p.closed)!;
    expect(period).toBeDefined();
    await stand.writeSource(edited);

    const closed = await stand.cli(['period', 'close', '--link', stand.linkFile, '--period', period.sourceId, '--reason', 'приказ № 45 от 28.10.2026']);
    expect(closed.stderr).toBe('');
    expect(closed.stdout).toMatch(/закрыт в ejsync/);
    const list = JSON.parse((await stand.cli(['period', 'list', '--link', stand.linkId, '--json'])).stdout) as { periods: { sourceId: string; lockedInEjsync: { reason: string } | null }[] };
    expect(list.periods.find((p) => p.sourceId === period.sourceId)!.lockedInEjsync).toMatchObject({ reason: 'приказ № 45 от 28.10.2026' });

    // The plan does not call a held-back change «passed».
    const plan = await stand.cli(['plan', '--link', stand.linkFile, '--no-report']);
    expect(plan.stdout).toContain('Проверка пройдена не полностью: отложено до решения — 1');
    expect(plan.stdout).not.toContain('Проверка пройдена:');

    const writes = stand.emulator.state.writes.length;
    const held = await sync();
    expect(held.status).toBe('partial');
    expect(stand.emulator.state.writes.length).toBe(writes);
    const shown = JSON.parse((await stand.cli(['run', 'show', held.id, '--json'])).stdout) as { findings: { code: string; sourceId?: string }[] };
    expect(shown.findings).toContainEqual(expect.objectContaining({ code: 'period.closed', sourceId: mark.sourceId }));

    const reopened = await stand.cli(['period', 'reopen', '--link', stand.linkFile, '--period', period.sourceId, '--reason', 'приказ № 47: исправление отметки']);
    expect(reopened.code).toBe(0);
    const after = await sync();
    expect(after.status).toBe('succeeded');
    expect(stand.emulator.state.writes.slice(writes).map((w) => `${w.op} ${w.entity}`)).toEqual(['update marks']);

    const audit = await stand.store.audit.list({ limit: 20 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['period.closed', 'period.reopened']));
    const unknown = await stand.cli(['period', 'close', '--link', stand.linkFile, '--period', 'нет-такого', '--reason', 'x']);
    expect(unknown.stderr).toContain(`[${'period.unknown'}]`);
  }, 180_000);
});
