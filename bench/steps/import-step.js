'use strict';
// Child process: `ejsync validate` without the CLI around it (readSource + runSanityChecks, as
// src/cli/validate-source.ts does) on one export; reports time, peak memory and what was read.
const { performance } = require('node:perf_hooks');
const { DIST, dist } = require('../lib/paths');
const { mib, processMaxRssMiB } = require('../lib/peak-memory');
const { report, stepArgs } = require('../lib/run-step');

async function main() {
  const { dir, phases } = stepArgs();
  const { validateSource } = dist('cli/validate-source');
  const { readSource } = dist('connectors/read-source');
  const { runSanityChecks } = dist('reconcile/sanity');
  const loadedRssMiB = mib(process.memoryUsage().rss);

  const started = performance.now();
  const cpuStart = process.cpuUsage();
  let result;
  const split = {};
  if (phases) {
    // The same two calls validateSource makes, timed one by one.
    const read = await readSource(dir);
    split.readSeconds = (performance.now() - started) / 1000;
    const findings = [...read.findings];
    const t = performance.now();
    if (read.snapshot) findings.push(...runSanityChecks(read.snapshot));
    split.sanitySeconds = (performance.now() - t) / 1000;
    result = { format: read.format, counts: read.counts, findings, readable: read.snapshot !== null };
  } else {
    result = await validateSource(dir);
  }
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  const heap = process.memoryUsage();

  const bySeverity = {};
  for (const f of result.findings) bySeverity[f.severity] = (bySeverity[f.severity] ?? 0) + 1;
  const records = Object.values(result.counts).reduce((a, b) => a + b, 0);
  report({
    seconds,
    cpuSeconds,
    ...split,
    peakRssMiB: processMaxRssMiB(),
    loadedRssMiB,
    heapUsedAtEndMiB: mib(heap.heapUsed),
    build: DIST,
    readable: result.readable,
    format: result.format,
    records,
    counts: result.counts,
    findings: bySeverity,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
