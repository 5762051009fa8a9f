'use strict';
// Issue 3: import = what `ejsync validate` does (readSource + runSanityChecks), each run in a fresh process.
//   node bench/import.js [--pupils 1000,100000] [--seed bench] [--weeks 2] [--runs 3] [--phases]
// --phases times reading and the sanity checks separately (same calls, split in two).
const { describeDataset, ensureDataset } = require('./lib/dataset');
const { parseArgs, round, spread, writeResult } = require('./lib/results');
const { runStep } = require('./lib/run-step');
const { IMPORT_TARGET, verdict } = require('./lib/targets');

async function main() {
  const opts = parseArgs(process.argv.slice(2), { pupils: [1000, 100_000], seed: 'bench', weeks: 2, runs: 3, phases: false });
  for (const pupils of opts.pupils) {
    const dataset = { pupils, seed: opts.seed, weeks: opts.weeks };
    const dir = await ensureDataset(dataset);
    const runs = [];
    for (let i = 0; i < opts.runs; i++) {
      const r = await runStep('import-step', { dir, phases: opts.phases });
      if (!r.readable) throw new Error(`${dir}: export not readable`);
      console.log(`  run ${i + 1}: ${r.seconds.toFixed(1)} s, peak RSS ${r.peakRssMiB.toFixed(0)} MiB, ${r.records} records`);
      runs.push(r);
    }
    const time = spread(runs, (r) => r.seconds);
    const cpu = spread(runs, (r) => r.cpuSeconds);
    const rss = spread(runs, (r) => r.peakRssMiB);
    const body = { dataset: { ...dataset, ...describeDataset(dir) }, runs: runs.length, phases: opts.phases, seconds: time, cpuSeconds: cpu, peakRssMiB: rss };
    if (opts.phases) Object.assign(body, { readSeconds: spread(runs, (r) => r.readSeconds), sanitySeconds: spread(runs, (r) => r.sanitySeconds) });
    let line = `import ${pupils} pupils: ${time.median} s (min ${time.min}, max ${time.max}, ${runs.length} run(s); CPU ${cpu.median} s), peak RSS ${round(rss.max, 0)} MiB, ${runs[0].records} records, findings ${JSON.stringify(runs[0].findings)}`;
    if (pupils === IMPORT_TARGET.pupils) {
      body.target = { ...IMPORT_TARGET, time: verdict(time.median, IMPORT_TARGET.seconds), memory: verdict(rss.max, IMPORT_TARGET.peakRssMiB) };
      line += ` — target < ${IMPORT_TARGET.seconds} s: ${body.target.time}, < ${IMPORT_TARGET.peakRssMiB} MiB: ${body.target.memory}`;
    }
    const file = writeResult(`import-${pupils}${opts.phases ? '-phases' : ''}`, { ...body, raw: runs });
    console.log(`${line} → ${file}`);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
