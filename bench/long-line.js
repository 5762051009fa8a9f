'use strict';
// Issue 18 point 6: a very long line is parsed in linear time, or refused early.
//   node bench/long-line.js [--sizes 25,50,100] [--modes refused,parsed] [--paths quote-free,quoted] [--runs 1]
// A generated school (50 pupils) gets one more line in pupils.csv of --sizes MB (`p-long;xxx…`,
// or `p-long;"xxx…"` for the general CSV parser's path), and readSource reads the export in a
// fresh process: `refused` with the default limits (the line is longer than maxLineBytes, 1 MiB),
// `parsed` with no line limit (the whole line is split into fields). Wall and CPU time, peak RSS
// and the findings on pupils.csv. Target: a 100 MB line parsed in < 5 s, or refused early.
// Writes bench/results/long-line.json (long-line-<label>.json with EJSYNC_BENCH_LABEL).
const { closeSync, existsSync, mkdirSync, openSync, readdirSync, copyFileSync, rmSync, writeFileSync, writeSync } = require('node:fs');
const path = require('node:path');
const { DATA, dist } = require('./lib/paths');
const { median, parseArgs, round, writeResult } = require('./lib/results');
const { runStep } = require('./lib/run-step');

const MB = 1024 * 1024;

/** The base school, generated once (with a `.complete` marker, as the other benches keep theirs). */
async function baseSchool() {
  const dir = path.join(DATA, 'long-line-base');
  if (existsSync(path.join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  const { generateSchool } = dist('connectors/demo-school');
  const { createMisCsvWriter } = dist('connectors/mis-csv');
  await generateSchool(await createMisCsvWriter(dir), { pupils: 50, seed: 'long-line', weeks: 1 });
  writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

/** The base school with one line of `sizeMb` MB appended to pupils.csv. */
function exportWithLongLine(base, sizeMb, quoted) {
  const dir = path.join(DATA, `long-line-${sizeMb}mb-${quoted ? 'quoted' : 'quote-free'}`);
  if (existsSync(path.join(dir, '.complete'))) return dir;
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(base)) if (!name.startsWith('.')) copyFileSync(path.join(base, name), path.join(dir, name));
  const fd = openSync(path.join(dir, 'pupils.csv'), 'a');
  writeSync(fd, quoted ? 'p-long;"' : 'p-long;');
  const block = Buffer.alloc(MB, 0x78);
  for (let i = 0; i < sizeMb; i++) writeSync(fd, block);
  writeSync(fd, quoted ? '"\r\n' : '\r\n');
  closeSync(fd);
  writeFileSync(path.join(dir, '.complete'), '');
  return dir;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2), { sizes: [25, 50, 100], modes: 'refused,parsed', paths: 'quote-free,quoted', runs: 1 });
  const base = await baseSchool();
  const cases = [];
  for (const sizeMb of opts.sizes) {
    for (const pathName of String(opts.paths).split(',')) {
      const dir = exportWithLongLine(base, sizeMb, pathName === 'quoted');
      for (const mode of String(opts.modes).split(',')) {
        const runs = [];
        for (let r = 0; r < opts.runs; r++) {
          const limits = mode === 'parsed' ? { maxLineBytes: null } : undefined;
          const result = await runStep('long-line-step', { dir, limits });
          runs.push(result);
          console.log(`${sizeMb} MB, ${pathName}, ${mode}: ${round(result.seconds, 2)} s wall, ${round(result.cpuSeconds, 2)} s CPU, peak ${Math.round(result.peakRssMiB)} MiB; ${result.pupilsFindings.map((f) => f.code).join(', ') || 'no findings'}`);
        }
        cases.push({
          lineMb: sizeMb,
          path: pathName,
          mode,
          wallSeconds: round(median(runs.map((r) => r.seconds)), 2),
          cpuSeconds: round(median(runs.map((r) => r.cpuSeconds)), 2),
          peakRssMiB: Math.round(Math.max(...runs.map((r) => r.peakRssMiB))),
          pupilsFindings: runs[0].pupilsFindings,
          pupilsRead: runs[0].pupilsRead,
          runs,
        });
      }
    }
  }
  const file = writeResult('long-line', { target: 'a 100 MB line parsed in < 5 s, or refused early', cases });
  console.log(`written ${path.relative(process.cwd(), file)}`);
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
