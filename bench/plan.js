'use strict';
// Issue 4: the pure reconcile (plan + guard) against the school as onboarded on Дневник.ру.
//   node bench/plan.js [--pupils 1000,100000] [--seed bench] [--weeks 2] [--runs 3]
// Cases: first-run (empty id map), re-plan (id map of the first plan's matches), steady-state
// (first run delivered: journal on the platform, everything linked → nothing to do).
const { describeDataset, ensureDataset } = require('./lib/dataset');
const { parseArgs, round, spread, writeResult } = require('./lib/results');
const { runStep } = require('./lib/run-step');

async function main() {
  const opts = parseArgs(process.argv.slice(2), { pupils: [1000, 100_000], seed: 'bench', weeks: 2, runs: 3 });
  for (const pupils of opts.pupils) {
    const dataset = { pupils, seed: opts.seed, weeks: opts.weeks };
    const dir = await ensureDataset(dataset);
    const runs = [];
    for (let i = 0; i < opts.runs; i++) {
      const r = await runStep('plan-step', { dir }, { nodeFlags: ['--expose-gc'] });
      console.log(`  run ${i + 1}: ${r.cases.map((c) => `${c.case} ${c.seconds.toFixed(2)} s`).join(', ')}`);
      runs.push(r);
    }
    const cases = runs[0].cases.map((c, i) => {
      const all = runs.map((r) => r.cases[i]);
      const { seconds, cpuSeconds, planSeconds, guardSeconds, peakRssMiB, rssBeforeMiB, retainedHeapMiB, ...contents } = c;
      return {
        case: c.case,
        seconds: spread(all, (x) => x.seconds),
        cpuSeconds: spread(all, (x) => x.cpuSeconds),
        planSeconds: spread(all, (x) => x.planSeconds),
        guardSeconds: spread(all, (x) => x.guardSeconds),
        peakRssMiB: all.every((x) => x.peakRssMiB !== null) ? spread(all, (x) => x.peakRssMiB) : null,
        rssBeforeMiB: spread(all, (x) => x.rssBeforeMiB),
        retainedHeapMiB: spread(all, (x) => x.retainedHeapMiB),
        ...contents,
      };
    });
    const file = writeResult(`plan-${pupils}`, {
      dataset: { ...dataset, ...describeDataset(dir) },
      runs: runs.length,
      setup: runs[0].setup,
      processPeakRssMiB: spread(runs, (r) => r.processPeakRssMiB),
      cases,
      raw: runs,
    });
    for (const c of cases) {
      const t = c.totals;
      console.log(
        `plan ${pupils} pupils, ${c.case}: ${c.seconds.median} s (plan ${c.planSeconds.median} + guard ${c.guardSeconds.median}; min ${c.seconds.min}, max ${c.seconds.max}), ` +
          `peak RSS ${c.peakRssMiB ? round(c.peakRssMiB.max, 0) : '?'} MiB (${round(c.rssBeforeMiB.median, 0)} before), ` +
          `create ${t.create}, update ${t.update}, archive ${t.archive}, unchanged ${t.unchanged}, manual ${t.manual}, new matches ${c.newMatches}, decision ${c.decision}`,
      );
    }
    console.log(`  → ${file}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
