'use strict';
// Import (the `ejsync validate` path) of two builds, run in alternation so that both meet the same
// machine load: the way to tell a speed-up from noise on a shared machine.
//   node bench/compare-import.js --base /path/to/other/dist [--pupils 100000] [--pairs 4]
// Build the base from an earlier commit, e.g.:
//   git worktree add /tmp/ejsync-base <commit> && (cd /tmp/ejsync-base && ln -s /work/main/node_modules && npx tsc -p .)
const path = require('node:path');
const { ensureDataset } = require('./lib/dataset');
const { DIST } = require('./lib/paths');
const { median, parseArgs, round, spread, writeResult } = require('./lib/results');
const { runStep } = require('./lib/run-step');

async function main() {
  const opts = parseArgs(process.argv.slice(2), { base: '', pupils: 100_000, seed: 'bench', weeks: 2, pairs: 4 });
  if (!opts.base) throw new Error('--base <dist of the build to compare with> is required');
  const base = path.resolve(opts.base);
  const dataset = { pupils: opts.pupils, seed: opts.seed, weeks: opts.weeks };
  const dir = await ensureDataset(dataset);
  const runs = { base: [], current: [] };
  for (let i = 0; i < opts.pairs; i++) {
    // Alternate which build goes first, so neither always meets a warmer page cache or a busier minute.
    const order = i % 2 === 0 ? ['base', 'current'] : ['current', 'base'];
    for (const which of order) {
      const r = await runStep('import-step', { dir }, which === 'base' ? { env: { EJSYNC_BENCH_DIST: base } } : {});
      console.log(`  pair ${i + 1} ${which.padEnd(7)} (${r.build}): ${r.seconds.toFixed(1)} s, CPU ${r.cpuSeconds.toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB, load ${r.loadAverageBefore[0]}`);
      runs[which].push(r);
    }
  }
  const summary = (list) => ({ seconds: spread(list, (r) => r.seconds), cpuSeconds: spread(list, (r) => r.cpuSeconds), peakRssMiB: spread(list, (r) => r.peakRssMiB) });
  const ratios = runs.current.map((r, i) => r.cpuSeconds / runs.base[i].cpuSeconds);
  const file = writeResult(`import-compare-${opts.pupils}`, {
    dataset: { ...dataset, dir },
    builds: { base, current: DIST },
    pairs: opts.pairs,
    base: summary(runs.base),
    current: summary(runs.current),
    cpuRatioMedian: round(median(ratios), 3),
    raw: runs,
  });
  const b = summary(runs.base);
  const c = summary(runs.current);
  console.log(
    `import ${opts.pupils} pupils, base → current: wall ${b.seconds.median} → ${c.seconds.median} s, CPU ${b.cpuSeconds.median} → ${c.cpuSeconds.median} s ` +
      `(current/base per pair: median ${round(median(ratios), 2)}), peak RSS ${round(b.peakRssMiB.max, 0)} → ${round(c.peakRssMiB.max, 0)} MiB → ${file}`,
  );
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
