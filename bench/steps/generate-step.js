'use strict';
// Child process: writes one demo school as a МИС CSV export and reports time and peak memory.
const { rmSync } = require('node:fs');
const { performance } = require('node:perf_hooks');
const { dist } = require('../lib/paths');
const { processMaxRssMiB } = require('../lib/peak-memory');
const { report, stepArgs } = require('../lib/run-step');

async function main() {
  const { dir, pupils, seed, weeks } = stepArgs();
  const { generateSchool } = dist('connectors/demo-school');
  const { createMisCsvWriter } = dist('connectors/mis-csv');
  rmSync(dir, { recursive: true, force: true });
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  await generateSchool(await createMisCsvWriter(dir), { pupils, seed, weeks });
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  const cpuSeconds = (cpu.user + cpu.system) / 1e6;
  report({ seconds, cpuSeconds, peakRssMiB: processMaxRssMiB() });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
