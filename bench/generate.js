'use strict';
// Secondary bench: how long writing the demo school as a МИС CSV export takes.
//   node bench/generate.js [--pupils 1000,100000] [--seed bench] [--weeks 2] [--runs 1]
const { datasetDir, describeDataset, markComplete } = require('./lib/dataset');
const { parseArgs, round, spread, writeResult } = require('./lib/results');
const { runStep } = require('./lib/run-step');

async function main() {
  const opts = parseArgs(process.argv.slice(2), { pupils: [1000, 100_000], seed: 'bench', weeks: 2, runs: 1 });
  for (const pupils of opts.pupils) {
    const dataset = { pupils, seed: opts.seed, weeks: opts.weeks };
    const dir = datasetDir(dataset);
    const runs = [];
    for (let i = 0; i < opts.runs; i++) runs.push(await runStep('generate-step', { ...dataset, dir }));
    markComplete(dir);
    const time = spread(runs, (r) => r.seconds);
    const cpu = spread(runs, (r) => r.cpuSeconds);
    const rss = spread(runs, (r) => r.peakRssMiB);
    const file = writeResult(`generate-${pupils}`, { dataset: { ...dataset, ...describeDataset(dir) }, runs: runs.length, seconds: time, cpuSeconds: cpu, peakRssMiB: rss, raw: runs });
    console.log(`generate ${pupils} pupils: ${time.median} s (min ${time.min}, max ${time.max}, ${runs.length} run(s); CPU ${cpu.median} s), peak RSS ${round(rss.max, 0)} MiB → ${file}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
