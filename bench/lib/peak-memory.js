'use strict';
const { readFileSync, writeFileSync } = require('node:fs');

/**
 * Peak resident memory of this process, in MiB. On Linux the high-water mark (VmHWM) can be reset
 * (`clear_refs` = 5), so one step's peak can be told from an earlier, bigger one in the same
 * process; elsewhere it falls back to `process.resourceUsage().maxRSS` (never reset).
 */
function peakRssMiB() {
  try {
    const m = /VmHWM:\s+(\d+) kB/.exec(readFileSync('/proc/self/status', 'utf8'));
    if (m) return Number(m[1]) / 1024;
  } catch {
    /* not Linux */
  }
  return process.resourceUsage().maxRSS / 1024;
}

/** Resets the peak to the current resident size; false where the OS cannot. */
function resetPeakRss() {
  try {
    writeFileSync('/proc/self/clear_refs', '5');
    return true;
  } catch {
    return false;
  }
}

/** Whole-process peak as the OS accounts it (getrusage): includes everything the process did. */
function processMaxRssMiB() {
  return process.resourceUsage().maxRSS / 1024;
}

const mib = (bytes) => bytes / 2 ** 20;

module.exports = { peakRssMiB, resetPeakRss, processMaxRssMiB, mib };
