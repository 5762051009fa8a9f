import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { startCliStand, type CliStand } from '../../helpers/cli-stand';

/**
 * `ejsync rollover` (issue 13, points 3 and 5) from the built CLI against the Дневник.ру emulator:
 * the closed year is archived (verifiable) before anything is planned, the new year's plan is
 * held for approval and nothing reaches the platform; the order is in the audit.
 */
describe('ejsync rollover (built CLI)', () => {
  let stand: CliStand;
  beforeAll(async () => {
    stand = await startCliStand({ pupils: 20, seed: 'rollover' });
  }, 120_000);
  afterAll(async () => stand?.close());

  it('archives the closing year, then holds the new year for approval without writing', async () => {
    const first = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    expect(first.code).toBe(0);
    const calendar = path.join(stand.home, 'calendar-2027-2028.json');
    writeFileSync(
      calendar,
      JSON.stringify({
        name: '2027/2028',
        startDate: '2027-09-01',
        endDate: '2028-08-31',
        periods: [{ sourceId: 'q1-27', kind: 'quarter', number: 1, name: '1 четверть', startDate: '2027-09-01', endDate: '2027-10-24', grades: [2, 3, 4, 5, 6, 7, 8, 9] }],
        holidays: [{ sourceId: 'h1-27', name: 'Осенние каникулы', startDate: '2027-10-25', endDate: '2027-11-02' }],
      }),
    );
    const writes = stand.emulator.state.writes.length;
    const archiveDir = path.join(stand.home, 'archives-test');
    const r = await stand.cli(['rollover', '--link', stand.linkFile, '--to', '2027/2028', '--order', '210-у', '--order-date', '2027-05-30', '--calendar', calendar, '--archive-to', archiveDir, '--json']);
    expect(r.stderr).toContain('Архив 2026/2027 учебного года записан до перевода');
    expect(r.stderr).toContain('Перевод ждёт одобрения');
    expect(r.code).toBe(0);
    const run = JSON.parse(r.stdout).runs[0] as { id: string; status: string; kind: string };
    expect(run).toMatchObject({ status: 'held', kind: 'rollover' });
    expect(stand.emulator.state.writes.length).toBe(writes);

    const archive = path.join(archiveDir, `ejsync-year-${stand.linkId}-2026-2027.zip`);
    expect(existsSync(archive)).toBe(true);
    const verified = await stand.cli(['archive', 'verify', archive]);
    expect(verified.code).toBe(0);
    expect(verified.stdout).toMatch(/^ЦЕЛ: архив 2026\/2027/);

    const audit = await stand.store.audit.list({ limit: 20 });
    expect(audit.map((a) => a.action)).toEqual(expect.arrayContaining(['archive.year_created', 'run.rollover_requested']));
    expect(audit.find((a) => a.action === 'run.rollover_requested')).toMatchObject({ objectId: run.id, details: { orderNumber: '210-у', orderDate: '2027-05-30' } });

    // A wrong year against the calendar starts nothing.
    const wrong = await stand.cli(['rollover', '--link', stand.linkFile, '--to', '2028/2029', '--order', '1', '--order-date', '2027-05-30', '--calendar', calendar, '--archive-to', archiveDir]);
    expect(wrong.code).not.toBe(0);
    expect(wrong.stdout + wrong.stderr).toContain('календарь — на 2027/2028');
  }, 240_000);
});
