import { countBy, startCliStand, type CliStand } from '../../helpers/cli-stand';

/**
 * Issue 18 point 10: two `ejsync sync` of one link at once (no `ejsync worker` running, so each
 * may start its own in-process worker) never apply in parallel — the second run waits for the
 * first, then plans against what it left — so the emulator gets every record once (not 6 works
 * instead of 3). Built CLI, Дневник.ру emulator, real Redis and PostgreSQL.
 */
describe('two concurrent syncs of one link (built CLI against the emulator)', () => {
  let stand: CliStand;
  beforeAll(async () => {
    // ~465 deliveries at 60 a second: the first run still applies when the second would plan.
    stand = await startCliStand({ pupils: 40, seed: 'concurrent', laneRateLimit: { max: 60, durationMs: 1000 } });
  }, 120_000);
  afterAll(async () => stand?.close());

  it('the second waits for the first: no duplicate on the platform, one applying run at a time', async () => {
    const a = stand.spawnCli(['sync', '--link', stand.linkFile, '--json']);
    const b = stand.spawnCli(['sync', '--link', stand.linkFile, '--json']);
    // Sample the store while both go: never two applying runs of the link.
    let maxApplying = 0;
    let sampling = true;
    const sampler = (async () => {
      while (sampling) {
        maxApplying = Math.max(maxApplying, (await stand.store.runs.list({ linkId: stand.linkId, status: 'applying' })).length);
        await new Promise((r) => setTimeout(r, 25));
      }
    })();
    const [ea, eb] = await Promise.all([a.exited, b.exited]);
    sampling = false;
    await sampler;
    expect({ a: ea.code, b: eb.code }).toEqual({ a: 0, b: 0 });
    const runs = [a, b].map((p) => JSON.parse(p.output().slice(p.output().indexOf('{'))).runs[0] as { id: string; status: string; writes: number });
    expect(runs.map((r) => r.status)).toEqual(['succeeded', 'succeeded']);
    const [first, second] = [...runs].sort((x, y) => y.writes - x.writes);
    expect(first.writes).toBeGreaterThan(400);
    expect(second.writes).toBe(0);
    expect(maxApplying).toBe(1);

    // The one that waited said so, in Russian, naming the run it waited for.
    const waited = [a, b].find((p) => p.output().includes(second.id))!;
    expect(waited.output()).toContain(`Связь сейчас синхронизирует запуск ${first.id}: этот запуск ждёт его завершения`);

    // Every record once on the platform: creates per entity equal the first run's plan, no work twice.
    const planned = countBy(await stand.store.changes.list(first.id), (c) => `${c.entity}/${c.op}`);
    expect(countBy(stand.emulator.state.writes, (w) => `${w.entity}/${w.op}`)).toEqual(planned);
    const journal = stand.journal();
    expect(new Set(journal.works).size).toBe(journal.works.length);
    expect(journal.works).toHaveLength(planned['works/create']);
  }, 240_000);
});
