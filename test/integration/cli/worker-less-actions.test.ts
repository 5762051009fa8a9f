import { readFileSync, writeFileSync } from 'node:fs';
import { startCliStand, type CliStand } from '../../helpers/cli-stand';

const STARTED_HERE = 'Обработчики очереди не запущены (ejsync worker) — запускаю обработчик в этом процессе на время запуска.';

/**
 * Issue 18 point 13: `approve`, `rollback` and `retry` need a worker. With no `ejsync worker`
 * running they start one in-process (as `sync` does) and follow the run to its end; `run show
 * --follow` says in Russian that a run waits for a worker. And `retry` re-queues the pending
 * deliveries of a run whose jobs Redis lost (not "nothing to retry"). Built CLI, Дневник.ру
 * emulator, real Redis and PostgreSQL, no worker process anywhere.
 */
describe('run actions without a running worker (built CLI against the emulator)', () => {
  let stand: CliStand;
  beforeAll(async () => {
    stand = await startCliStand({ pupils: 40, seed: 'no-worker', laneRateLimit: { max: 40, durationMs: 1000 } });
  }, 120_000);
  afterAll(async () => stand?.close());

  const pendingOf = async (runId: string) => (await stand.store.changes.counts(runId)).filter((c) => c.status === 'pending').reduce((n, c) => n + c.n, 0);
  const appliedOf = async (runId: string) => (await stand.store.changes.counts(runId)).filter((c) => c.status === 'applied').reduce((n, c) => n + c.n, 0);

  it('approve and rollback run in-process to the end; a rollback whose jobs were lost waits for a worker (run show --follow says so) and retry re-queues its pending deliveries', async () => {
    const before = stand.journal();
    // Held by the link's policy (a blackout window that holds every run).
    const link = JSON.parse(readFileSync(stand.linkFile, 'utf8'));
    link.policy.blackout = { windows: [{ from: '01-01', to: '12-31', note: 'тест' }], action: 'hold' };
    writeFileSync(stand.linkFile, JSON.stringify(link, null, 2));
    const synced = await stand.cli(['sync', '--link', stand.linkFile, '--json']);
    const held = JSON.parse(synced.stdout).runs[0] as { id: string; status: string };
    expect({ code: synced.code, status: held.status }).toEqual({ code: 1, status: 'held' });

    // approve: no worker serves the queues, so this command runs one and follows the run.
    const approved = await stand.cli(['approve', held.id, '--reason', 'проверено']);
    expect(approved.stdout).toContain(`Запуск ${held.id} одобрен`);
    expect(approved.stdout).toContain(STARTED_HERE);
    expect(approved.stdout).toContain('успешно');
    expect(approved.code).toBe(0);
    expect((await stand.store.runs.require(held.id)).status).toBe('succeeded');
    expect(stand.journal().works.length).toBeGreaterThan(before.works.length);

    // rollback: started in-process too — and killed mid-run, then Redis loses its jobs.
    const rollback = stand.spawnCli(['rollback', held.id]);
    const rollbackId = (await rollback.waitFor(/Откат запуска run-[0-9a-f-]+ начат: запуск (run-[0-9a-f-]+)\./))[1];
    await rollback.waitFor(new RegExp(STARTED_HERE.replace(/[()]/g, '\\$&')));
    await stand.waitForRun(rollbackId, ['applying']);
    while ((await appliedOf(rollbackId)) < 30) await new Promise((r) => setTimeout(r, 50));
    rollback.child.kill('SIGKILL');
    await rollback.exited;
    await stand.laneQueue().obliterate({ force: true });
    expect((await stand.store.runs.require(rollbackId)).status).toBe('applying');
    const pending = await pendingOf(rollbackId);
    expect(pending).toBeGreaterThan(0);

    // run show --follow: the run waits for a worker, and it says so.
    const follow = stand.spawnCli(['run', 'show', rollbackId, '--follow']);
    await follow.waitFor(/Запуск ждёт обработчика очереди: ни один обработчик \(ejsync worker\) не обслуживает доставку \(dnevnik-emulator\)/);
    follow.child.kill('SIGTERM');
    await follow.exited;

    // retry: the pending deliveries are queued again (Redis lost their jobs), in-process, to the end.
    const retried = await stand.cli(['retry', rollbackId]);
    expect(retried.stdout).toContain(`Повторно поставлено в очередь: ожидавших доставки (их задания в очереди потеряны или не дошли до обработчика) — ${pending}`);
    expect(retried.stdout).toContain(STARTED_HERE);
    expect(retried.code).toBe(0);
    expect((await stand.store.runs.require(rollbackId)).status).toBe('succeeded');
    expect((await stand.store.runs.require(held.id)).status).toBe('rolled_back');
    // The platform is as before the first run, record by record.
    expect(stand.journal()).toEqual(before);
    const actions = (await stand.store.audit.list({ limit: 50 })).map((a) => a.action);
    expect(actions).toEqual(expect.arrayContaining(['run.approved', 'run.rollback_started', 'run.retry']));
  }, 300_000);
});
