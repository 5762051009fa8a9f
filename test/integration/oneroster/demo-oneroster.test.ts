import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runOneRosterDemo } from '../../../src/cli/demo-oneroster';
import { runJson } from '../../../src/cli/run-report';
import { readSource } from '../../../src/connectors/read-source';
import { redisTestContext } from '../../helpers/redis';

/** `ejsync demo --target oneroster` in-process: Redis and PGlite (under EJSYNC_HOME) are real. */
describe('ejsync demo --target oneroster', () => {
  const saved = { home: process.env.EJSYNC_HOME, db: process.env.DATABASE_URL };
  let home: string;
  beforeAll(async () => {
    // Fails, never skips, without Redis.
    const redis = await redisTestContext();
    await redis.cleanup();
    home = mkdtempSync(path.join(os.tmpdir(), 'ejsync-demo-oneroster-'));
    process.env.EJSYNC_HOME = home;
    delete process.env.DATABASE_URL;
  });
  afterAll(() => {
    rmSync(home, { recursive: true, force: true });
    if (saved.home === undefined) delete process.env.EJSYNC_HOME;
    else process.env.EJSYNC_HOME = saved.home;
    if (saved.db !== undefined) process.env.DATABASE_URL = saved.db;
  });

  it('syncs the generated school into a OneRoster folder through the queue; the second run writes nothing', async () => {
    const lines: string[] = [];
    const result = await runOneRosterDemo({ pupils: 15, seed: 'demo-oneroster', weeks: 1, say: (l) => lines.push(l) });
    const [first, second] = result.runs;
    expect(first.run).toMatchObject({ status: 'succeeded', environment: 'emulator' });
    // The same report shape as the other demos (`--json` prints runJson of each run).
    const report = runJson(first.run) as unknown as { counts: Record<string, { create: number }> };
    expect(report.counts.pupils.create).toBe(15);
    expect(report.counts.lessons.create).toBe(0);
    expect(first.emulatorWrites).toBeGreaterThan(15);
    expect(second.run.status).toBe('succeeded');
    expect(second.emulatorWrites).toBe(0);
    expect(result.manualActions).toBe(0);

    // The folder is what a receiver gets: a bulk bundle that reads back clean, and the deltas.
    const dir = path.join(home, 'demo', 'oneroster');
    const bulk = await readSource(path.join(dir, 'bulk'));
    expect(bulk.findings.filter((f) => f.severity === 'error')).toEqual([]);
    expect(bulk.snapshot!.pupils).toHaveLength(15);
    expect(readdirSync(path.join(dir, 'deltas')).length).toBeGreaterThan(0);
    expect(existsSync(path.join(dir, '.journal.ndjson'))).toBe(false);
    expect(lines.join('\n')).toMatch(/строк в дельта-пакетах: 0/);
  }, 180_000);
});
