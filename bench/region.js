'use strict';
// Issue 14 point 8: a region's schools through one installation, on two worker processes.
//   node bench/region.js [--schools 100] [--pupils 300] [--app-rate 200] [--rate 20]
//                        [--latency 20] [--concurrency 16] [--plan-concurrency 4]
//                        [--timeout-minutes 120]
// Needs Redis and PostgreSQL as bench/throughput.js. Every school is generated (its own seed),
// onboarded on its own Дневник.ру emulator (its own token) of one installation whose app-wide
// budget is --app-rate deliveries/s and per-token limit --rate requests/s; two `ejsync worker`
// processes (plan + lane, --plan-concurrency plans at once each) share nothing but Redis and
// PostgreSQL with each other. Two phases, every school's run started at once:
//   1. the first migration (reads, then every work, mark and absence written);
//   2. an unchanged nightly run (the same exports).
// Reports wall time against the budget-bound lower limit (writes ÷ app budget, or the slowest
// school's requests ÷ its token limit, whichever is longer), requests per unchanged school and per
// class, and each worker's peak RSS (VmHWM). Writes bench/results/region.json.
const { readFileSync, mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs, round, writeResult } = require('./lib/results');
const { isWrite, openStand, schoolExport } = require('./lib/emulator-stand');

/** Peak resident set of a process (kB → MiB), from /proc. */
function peakRssMiB(pid) {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const m = /VmHWM:\s+(\d+) kB/.exec(status);
  return m ? round(Number(m[1]) / 1024, 1) : null;
}

/** Starts a run of every link at once; resolves when all ended, with the wall time. */
async function syncAll(stand, timeoutMinutes) {
  for (const s of stand.sides) s.emulator.state.requests.length = 0;
  const started = performance.now();
  const runs = [];
  for (const s of stand.sides) runs.push(await stand.runtime.startRun(s.link, 'person', 'bench'));
  const done = await Promise.all(runs.map((r) => stand.runtime.waitForRun(r.id, { timeoutMs: timeoutMinutes * 60_000 })));
  const wallSeconds = (performance.now() - started) / 1000;
  const bad = done.filter((r) => r.status !== 'succeeded');
  if (bad.length) throw new Error(`${bad.length} runs did not succeed: ${bad.map((r) => `${r.id} ${r.status}`).join(', ')}`);
  const perSchool = stand.sides.map((s) => {
    const requests = s.emulator.state.requests.filter((r) => !r.path.startsWith('/v2/authorizations'));
    return { requests: requests.length, writes: requests.filter(isWrite).length, classes: s.platform.classes.length };
  });
  const summaries = await Promise.all(done.map(async (r) => (await stand.runtime.ctx.store.runs.require(r.id)).summary.datedRead));
  return { wallSeconds: round(wallSeconds, 1), perSchool, datedRead: summaries, runs: done };
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { schools: 100, pupils: 300, appRate: 200, rate: 20, latency: 20, concurrency: 16, planConcurrency: 4, timeoutMinutes: 120 });
  const loadAverageBefore = os.loadavg().map((n) => round(n, 2));
  const root = mkdtempSync(path.join(os.tmpdir(), 'ejsync-region-'));
  const schools = [];
  const schoolIds = new Set();
  const t0 = performance.now();
  for (let i = 0; schools.length < opts.schools; i++) {
    const exportDir = path.join(root, `school-${i}`);
    const source = await schoolExport(exportDir, { pupils: opts.pupils, seed: `region-${i}` });
    // Two generated schools may draw the same school number: a region has each school once.
    if (schoolIds.has(source.school.sourceId)) continue;
    schoolIds.add(source.school.sourceId);
    schools.push({ source, exportDir });
  }
  console.log(`${schools.length} schools × ${opts.pupils} pupils generated in ${round((performance.now() - t0) / 1000, 1)} s`);
  const stand = await openStand({ schools, rate: opts.rate, appRate: opts.appRate, latency: { min: 0, max: 0 }, faults: opts.latency > 0 ? { latencyMs: opts.latency } : {} });
  try {
    // Two worker processes: each plans `planConcurrency` runs at once and delivers on the lane.
    await stand.startWorker(opts.concurrency, opts.planConcurrency);
    await stand.startWorker(opts.concurrency, opts.planConcurrency);
    const pids = stand.workers.map((w) => w.pid);

    const migration = await syncAll(stand, opts.timeoutMinutes);
    const writes = migration.perSchool.reduce((n, s) => n + s.writes, 0);
    const requests = migration.perSchool.reduce((n, s) => n + s.requests, 0);
    const budgetBound = Math.max(writes / opts.appRate, ...migration.perSchool.map((s) => s.requests / opts.rate));
    console.log(`migration: ${migration.wallSeconds} s for ${writes} writes (${requests} requests); budget-bound ${round(budgetBound, 1)} s → ×${round(migration.wallSeconds / budgetBound, 2)}`);
    const rssAfterMigration = pids.map(peakRssMiB);
    const loadAverageAfterMigration = os.loadavg().map((n) => round(n, 2));

    const nightly = await syncAll(stand, opts.timeoutMinutes);
    const nightlyWrites = nightly.perSchool.reduce((n, s) => n + s.writes, 0);
    const perSchool = nightly.perSchool.map((s) => s.requests);
    const perClass = nightly.perSchool.map((s) => s.requests / s.classes);
    const constant = nightly.perSchool.map((s) => s.requests - 2 * s.classes);
    console.log(`unchanged night: ${nightly.wallSeconds} s, ${nightlyWrites} writes, requests per school ${Math.min(...perSchool)}–${Math.max(...perSchool)} (${round(Math.max(...perClass), 2)} per class at most)`);
    const rss = pids.map(peakRssMiB);
    console.log(`worker peak RSS: ${rss.join(' MiB, ')} MiB`);

    // The same unchanged night read in full (reconcile.fullEveryDays 0): what every night cost before.
    for (const s of stand.sides) s.link.reconcile = { ...s.link.reconcile, fullEveryDays: 0 };
    const fullNight = await syncAll(stand, opts.timeoutMinutes);
    const fullPerSchool = fullNight.perSchool.map((s) => s.requests);
    console.log(`the same night read in full: ${fullNight.wallSeconds} s, requests per school ${Math.min(...fullPerSchool)}–${Math.max(...fullPerSchool)}`);

    const file = writeResult('region', {
      setup: {
        schools: schools.length,
        pupilsPerSchool: opts.pupils,
        classesPerSchool: [Math.min(...nightly.perSchool.map((s) => s.classes)), Math.max(...nightly.perSchool.map((s) => s.classes))],
        installation: `one emulator installation: app-wide budget ${opts.appRate} deliveries/s, ${opts.rate} requests/s per token (school), answers after ${opts.latency} ms`,
        workers: `2 \`ejsync worker\` processes (plan + lane), --concurrency ${opts.concurrency}, ${opts.planConcurrency} plans at once each; the emulators, the run start and the store client in the bench process`,
      },
      loadAverageBefore,
      migration: {
        wallSeconds: migration.wallSeconds,
        writes,
        requests,
        budgetBoundSeconds: round(budgetBound, 1),
        ratio: round(migration.wallSeconds / budgetBound, 2),
        datedRead: [...new Set(migration.datedRead.map((d) => `${d?.mode}/${d?.reason ?? ''}`))],
      },
      unchangedNight: {
        wallSeconds: nightly.wallSeconds,
        writes: nightlyWrites,
        requestsPerSchool: { min: Math.min(...perSchool), max: Math.max(...perSchool), total: perSchool.reduce((a, b) => a + b, 0) },
        requestsPerClass: { max: round(Math.max(...perClass), 2) },
        requestsBeyondTwoPerClass: { max: Math.max(...constant) },
        datedRead: [...new Set(nightly.datedRead.map((d) => `${d?.mode}/${d?.changedDays ?? d?.reason}`))],
      },
      unchangedNightReadInFull: {
        wallSeconds: fullNight.wallSeconds,
        writes: fullNight.perSchool.reduce((n, s) => n + s.writes, 0),
        requestsPerSchool: { min: Math.min(...fullPerSchool), max: Math.max(...fullPerSchool), total: fullPerSchool.reduce((a, b) => a + b, 0) },
        datedRead: [...new Set(fullNight.datedRead.map((d) => `${d?.mode}/${d?.reason ?? ''}`))],
      },
      loadAverageAfterMigration,
      workerPeakRssMiB: { afterMigration: rssAfterMigration, afterNight: rss },
      targets: {
        migrationWithin1_1xBudget: migration.wallSeconds <= 1.1 * budgetBound,
        unchangedAtMost2PerClassPlusConstant: Math.max(...constant) <= 20,
        workerRssAtMost512MiB: rss.every((m) => m !== null && m <= 512),
      },
    });
    console.log(file);
  } finally {
    await stand.close();
    rmSync(root, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
