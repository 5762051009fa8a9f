'use strict';
// Issue 5: several schools of one region on one delivery lane. Every school's token has its own
// request limit (the platform's default, 5 requests/s); the lane's worker has 8 slots.
//   node bench/lane-sharing.js [--schools 4] [--pupils 10] [--rate 5] [--min-latency 50]
//                              [--max-latency 200] [--concurrency 8]
// Needs Redis and PostgreSQL as bench/throughput.js. Starts every school's first sync (creates
// only) at once through one `ejsync worker` process and reads each emulator's request log (arrival
// times): how much of the sum of the schools' budgets the lane used while they all had work, and
// whether any token went over its limit. Writes bench/results/lane-sharing.json.
const { mkdtempSync, rmSync } = require('node:fs');
const os = require('node:os');
const path = require('node:path');
const { parseArgs, round, writeResult } = require('./lib/results');
const { deliveryPhase, isWrite, openStand, overBudget, schoolExport } = require('./lib/emulator-stand');

async function main() {
  const opts = parseArgs(process.argv.slice(2), { schools: 4, pupils: 10, rate: 5, minLatency: 50, maxLatency: 200, concurrency: 8 });
  const loadAverageBefore = os.loadavg().map((n) => round(n, 2));
  const dirs = [];
  const schools = [];
  for (let i = 0; i < opts.schools; i++) {
    const exportDir = mkdtempSync(path.join(os.tmpdir(), 'ejsync-lane-export-'));
    dirs.push(exportDir);
    schools.push({ source: await schoolExport(exportDir, { pupils: opts.pupils, seed: `lane-${i + 1}` }), exportDir });
  }
  const stand = await openStand({ schools, rate: opts.rate, latency: { min: opts.minLatency, max: opts.maxLatency } });
  try {
    await stand.startWorker(opts.concurrency);
    const started = performance.now();
    const runs = [];
    for (const side of stand.sides) runs.push(await stand.runtime.startRun(side.link, 'schedule', 'bench'));
    for (const run of runs) {
      const done = await stand.runtime.waitForRun(run.id, { timeoutMs: 30 * 60_000 });
      if (done.status !== 'succeeded') throw new Error(`run ${run.id} ended ${done.status}`);
    }
    const wallSeconds = (performance.now() - started) / 1000;
    // Every emulator runs in this process: their request logs share one clock.
    const perSchool = stand.sides.map((side, i) => {
      const phase = deliveryPhase(side.emulator.state.requests);
      const limit = overBudget(side.emulator.state.requests.filter((r) => !r.path.startsWith('/v2/authorizations')), opts.rate);
      return {
        school: i + 1,
        writes: phase.writes.length,
        firstWriteS: round((phase.from - started) / 1000, 2),
        lastWriteS: round((phase.to - started) / 1000, 2),
        writesPerSecond: round(phase.writes.length / phase.seconds, 2),
        budgetUsedPercent: round(((phase.requests.length - 1) / (phase.seconds * opts.rate)) * 100, 1),
        requestsOverLimit: limit.over,
        fullestSecond: limit.fullest,
      };
    });
    // While every school still had writes to deliver: from the last school's first write to the first school's last.
    const from = Math.max(...perSchool.map((s) => s.firstWriteS));
    const to = Math.min(...perSchool.map((s) => s.lastWriteS));
    const together = stand.sides.flatMap((s) => s.emulator.state.requests.filter(isWrite)).filter((r) => (r.t - started) / 1000 >= from && (r.t - started) / 1000 <= to).length;
    const allWrites = perSchool.reduce((n, s) => n + s.writes, 0);
    const span = Math.max(...perSchool.map((s) => s.lastWriteS)) - Math.min(...perSchool.map((s) => s.firstWriteS));
    const result = {
      wallSeconds: round(wallSeconds, 2),
      writes: allWrites,
      writesPerSecond: round(allWrites / span, 2),
      sumOfBudgets: opts.schools * opts.rate,
      allDeliveringSeconds: round(Math.max(0, to - from), 2),
      lanePercentOfSumWhileAllDelivering: to > from ? round((together / ((to - from) * opts.schools * opts.rate)) * 100, 1) : null,
      requestsOverLimit: perSchool.reduce((n, s) => n + s.requestsOverLimit, 0),
      perSchool,
    };
    for (const s of perSchool) console.log(`  school ${s.school}: ${s.writes} writes from ${s.firstWriteS} s to ${s.lastWriteS} s, ${s.writesPerSecond} writes/s, budget used ${s.budgetUsedPercent} %, over the limit ${s.requestsOverLimit}`);
    console.log(`  lane: ${allWrites} writes in ${round(span, 2)} s = ${result.writesPerSecond} writes/s of ${result.sumOfBudgets} budgeted; all schools delivering together for ${result.allDeliveringSeconds} s at ${result.lanePercentOfSumWhileAllDelivering ?? '—'} % of the sum`);
    const file = writeResult('lane-sharing', {
      setup: {
        schools: opts.schools,
        school: { pupils: opts.pupils, seeds: schools.map((_, i) => `lane-${i + 1}`), weeks: 1 },
        limit: `${opts.rate} requests/s per token (one token per school), lane shared`,
        latencyMs: [opts.minLatency, opts.maxLatency],
        concurrency: opts.concurrency,
        workers: '1 `ejsync worker` process (plan + lane); emulators, store client and run start in the bench process',
      },
      loadAverageBefore,
      result,
    });
    console.log(`  → ${path.relative(process.cwd(), file)}`);
  } finally {
    await stand.close();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
