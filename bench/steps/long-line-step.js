'use strict';
// Child process: readSource on one export with a very long line, under the given limits (none
// given: the defaults; `{ maxLineBytes: null }`: no line limit, i.e. the line is parsed whole).
// Reports wall and CPU time, peak memory and the findings on pupils.csv.
const { performance } = require('node:perf_hooks');
const { dist } = require('../lib/paths');
const { processMaxRssMiB } = require('../lib/peak-memory');
const { report, stepArgs } = require('../lib/run-step');

async function main() {
  const { dir, limits } = stepArgs();
  const { readSource } = dist('connectors/read-source');
  const options = limits ? { limits: Object.fromEntries(Object.entries(limits).map(([k, v]) => [k, v === null ? Infinity : v])) } : {};
  const started = performance.now();
  const cpuStart = process.cpuUsage();
  const result = await readSource(dir, options);
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuStart);
  report({
    seconds,
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    peakRssMiB: processMaxRssMiB(),
    pupilsFindings: result.findings.filter((f) => f.file === 'pupils.csv').map((f) => ({ code: f.code, message: f.message.slice(0, 160) })),
    pupilsRead: result.counts.pupils ?? 0,
  });
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
