'use strict';
const os = require('node:os');

/** What the numbers were measured on: recorded with every result. */
function machineInfo() {
  const cpus = os.cpus();
  return {
    cpus: cpus.length,
    cpuModel: cpus[0]?.model ?? 'unknown',
    totalMemoryMiB: Math.round(os.totalmem() / 2 ** 20),
    node: process.version,
    v8: process.versions.v8,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    /** 1/5/15-minute load when the results were written (each run also records `loadAverageBefore`): other work on the machine skews wall time. */
    loadAverage: os.loadavg().map((n) => Math.round(n * 100) / 100),
  };
}

module.exports = { machineInfo };
